using System.Globalization;
using Halflife.Contracts;
using Halflife.Dicom;
using Halflife.Dicom.Network;
using Halflife.Reporting.Data;
using Halflife.Reporting.Parsing;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Halflife.ServiceDefaults.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Halflife.Reporting.StudyReports;

public sealed record StoredSr(string BlobKey, string SopInstanceUid, Guid ReportId, int Version);

public sealed record ForwardResult(string SopInstanceUid, string DestinationAeTitle, ushort Status, string StatusText);

/// <summary>
/// The study's report as a Basic Text SR in the blob store (written once per report version, announced with
/// ReportPublished), and its forwarding to the configured PACS with C-STORE.
/// </summary>
public sealed class StructuredReportService(
    ReportingDbContext db,
    IBlobStore blobs,
    StudyReportBuilder builder,
    OutboxSignal<ReportingDbContext> outbox,
    IOptions<ReportingOptions> options,
    ILogger<StructuredReportService> logger)
{
    /// <summary>Null when the study or its report does not exist (the reason is in <paramref name="problem"/>).</summary>
    public async Task<(StoredSr? Sr, string? Problem)> GetOrCreateAsync(string studyUid, CancellationToken ct)
    {
        var study = await db.Studies.AsNoTracking().FirstOrDefaultAsync(s => s.StudyInstanceUid == studyUid, ct);
        if (study is null) return (null, $"Study {studyUid} is not known to Reporting.");
        var report = await db.Reports.AsNoTracking().Where(r => r.StudyInstanceUid == studyUid).OrderByDescending(r => r.UpdatedAt).FirstOrDefaultAsync(ct);
        if (report is null) return (null, $"Study {studyUid} has no report yet.");
        var version = await db.ReportVersions.AsNoTracking().FirstAsync(v => v.ReportId == report.Id && v.Version == report.CurrentVersion, ct);
        var sopUid = StructuredReportWriter.Uid($"sr-instance:{report.Id}:{version.Version}");
        var key = BlobKey.Validate($"reporting/sr/{sopUid}.dcm");
        if (await blobs.ExistsAsync(key, ct)) return (new StoredSr(key, sopUid, report.Id, version.Version), null);

        var document = await builder.BuildAsync(studyUid, withPictures: false, ct);
        var images = new List<ReferencedImage>();
        var instances = await db.Instances.AsNoTracking().Where(i => i.StudyInstanceUid == studyUid).Take(StudyReportBuilder.MaxImages).ToListAsync(ct);
        images.AddRange(instances.Select(i => new ReferencedImage(i.SeriesInstanceUid, i.SopClassUid, i.SopInstanceUid, "original")));
        foreach (var restored in document!.Images.Select(i => i.Restored).OfType<DerivedEntryDto>())
        {
            var derived = await db.DerivedImages.AsNoTracking().FirstAsync(d => d.Id == restored.Id, ct);
            try
            {
                await using var stream = await blobs.OpenReadAsync(derived.BlobKey, cancellationToken: ct);
                var header = DicomFile.Open(stream, new DicomReadOptions { StopBeforeTag = DicomTag.PixelData }).Dataset;
                images.Add(new ReferencedImage(header.GetString(DicomTag.SeriesInstanceUID), header.GetString(DicomTag.SOPClassUID),
                    header.GetString(DicomTag.SOPInstanceUID), "restored"));
            }
            catch (Exception e) when (e is DicomException or BlobNotFoundException)
            {
                logger.LogWarning("Restored image {Id} left out of the SR: {Reason}", derived.Id, e.Message);
            }
        }
        var parsed = ReportJson.Deserialize(version.ParsedJson) ?? ReportParser.Parse(version.Text);
        var file = StructuredReportWriter.Build(study, report, version, parsed, images, Comment(document), DateTimeOffset.Now);
        using (var buffer = new MemoryStream())
        {
            file.Save(buffer);
            buffer.Position = 0;
            await blobs.PutAsync(key, buffer, "application/dicom", ct);
        }
        db.EnqueueEvent(new ReportPublished(report.Id, studyUid, key, DateTimeOffset.UtcNow));
        await db.SaveChangesAsync(ct);
        outbox.Notify();
        logger.LogInformation("Structured report {Sop} for study {Study} (report {Report} v{Version}) stored", sopUid, studyUid, report.Id, version.Version);
        return (new StoredSr(key, sopUid, report.Id, version.Version), null);
    }

    private static string? Comment(StudyReportDocument document)
    {
        var lines = new List<string>();
        foreach (var m in document.Models) lines.Add($"{m.Kind} with {m.Name} {m.Version}".TrimEnd());
        foreach (var image in document.Images.Where(i => i.Restored?.ComparedWithOriginal is not null))
        {
            var c = image.Restored!.ComparedWithOriginal!;
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{image.SopInstanceUid}: restored/original counts x{c.CountRatio:0.###}, noise x{c.NoiseRatio:0.###}, SNR x{c.SignalToNoiseGain:0.###}"));
        }
        return lines.Count == 0 ? null : string.Join("\n", lines);
    }

    public async Task<ForwardResult> ForwardAsync(StoredSr sr, CancellationToken ct)
    {
        var pacs = options.Value.Pacs;
        if (string.IsNullOrWhiteSpace(pacs.Host))
            throw new InvalidOperationException("No PACS is configured (Reporting:Pacs:Host).");
        var temp = Path.Combine(Path.GetTempPath(), $"halflife-sr-{Guid.NewGuid():N}.dcm");
        try
        {
            await using (var source = await blobs.OpenReadAsync(sr.BlobKey, cancellationToken: ct))
            await using (var target = File.Create(temp))
                await source.CopyToAsync(target, ct);
            var client = new DicomClient(pacs.Host, pacs.Port, pacs.CallingAeTitle, pacs.CalledAeTitle);
            client.AddRequest(DicomCStoreRequest.FromFile(temp));
            var response = (await client.SendAsync(ct)).Single();
            logger.LogInformation("SR {Sop} sent to {Ae}@{Host}:{Port}: {Status}", sr.SopInstanceUid, pacs.CalledAeTitle, pacs.Host, pacs.Port, response.Status);
            return new ForwardResult(sr.SopInstanceUid, pacs.CalledAeTitle, response.Status.Code, response.Status.ToString());
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
