using Halflife.Contracts;
using Halflife.Dicom;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Reporting.Tests.Service;

/// <summary>
/// One patient's bone-scan day: an early acquisition about 2 h after injection and a standard one about 4 h after,
/// each its own series (and study), the early one restored by "Restore" (simulated: a stored derived object with
/// more counts and an ImageRestored event).
/// </summary>
internal sealed class BoneScanDay
{
    public required NmScan Early { get; init; }
    public required NmScan Standard { get; init; }
    public Guid EarlyInstanceId { get; set; }
    public Guid StandardInstanceId { get; set; }
    public string? RestoredSopInstanceUid { get; set; }

    public static BoneScanDay Create(string patientId, string patientName, string date, string? injection = "100000",
        string earlyTime = "120500", string standardTime = "140000", bool sameStudy = false)
    {
        var studyEarly = DicomUID.Generate().UID;
        var studyStandard = sameStudy ? studyEarly : DicomUID.Generate().UID;
        return new BoneScanDay
        {
            Early = new NmScan(patientId, patientName, studyEarly, DicomUID.Generate().UID, date, earlyTime, injection, $"A{patientId}E{date}", CountScale: 0.5),
            Standard = new NmScan(patientId, patientName, studyStandard, DicomUID.Generate().UID, date, standardTime, injection, $"A{patientId}S{date}"),
        };
    }

    public async Task ReceiveAsync(ReportingHost host, bool restoreEarly, CancellationToken ct)
    {
        EarlyInstanceId = await host.ReceiveAsync(Early.Build(seed: 11), ct);
        StandardInstanceId = await host.ReceiveAsync(Standard.Build(seed: 12), ct);
        if (restoreEarly) await RestoreAsync(host, ct);
    }

    private async Task RestoreAsync(ReportingHost host, CancellationToken ct)
    {
        // A "restored" early scan: the counts of a 4-hour scan (what the model aims for), in a new derived series.
        var restored = (Early with { SeriesInstanceUid = DicomUID.Generate().UID, CountScale = 1.0 }).Build(seed: 13);
        RestoredSopInstanceUid = DicomUID.Generate().UID;
        restored.Dataset.AddOrUpdate(DicomTag.SOPInstanceUID, RestoredSopInstanceUid);
        restored.Dataset.AddOrUpdate(DicomVR.CS, DicomTag.ImageType, "DERIVED", "SECONDARY");
        var key = $"restore/derived/{RestoredSopInstanceUid}.dcm";
        using (var buffer = new MemoryStream())
        {
            restored.Save(buffer);
            buffer.Position = 0;
            await host.Blobs.PutAsync(key, buffer, "application/dicom", ct);
        }
        await host.PublishAsync(new ImageRestored(EarlyInstanceId, Early.StudyInstanceUid, Early.SopInstanceUid, RestoredSopInstanceUid,
            $"test/instances/{Early.SopInstanceUid}.dcm", key, "bone-restore", "1.0.0", DateTimeOffset.UtcNow), ct);
        await host.WaitUntilAsync(db => db.DerivedImages.AnyAsync(d => d.DerivedSopInstanceUid == RestoredSopInstanceUid, ct), ct);
    }
}
