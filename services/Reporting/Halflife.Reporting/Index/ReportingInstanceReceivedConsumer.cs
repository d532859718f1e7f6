using Halflife.Contracts;
using Halflife.Reporting.Data;
using Halflife.Reporting.Intake;
using Halflife.ServiceDefaults.Persistence.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Reporting.Index;

/// <summary>
/// Keeps Reporting's own study index (patient, dates, accession, acquisition and injection times) from
/// InstanceReceived, and links reports that arrived before their study.
/// </summary>
public sealed class ReportingInstanceReceivedConsumer(
    ReportingDbContext db,
    StudyLinker linker,
    OutboxSignal<ReportingDbContext> outbox,
    ILogger<ReportingInstanceReceivedConsumer> logger) : IConsumer<InstanceReceived>
{
    public async Task Consume(ConsumeContext<InstanceReceived> context)
    {
        var message = context.Message;
        var ct = context.CancellationToken;
        if (!await db.TryBeginProcessingAsync(context, nameof(ReportingInstanceReceivedConsumer))) return;

        // The same SOP instance stored twice (a scanner resending) is one instance here.
        if (await db.Instances.AnyAsync(i => i.SopInstanceUid == message.SopInstanceUid, ct))
        {
            await db.SaveChangesAsync(ct);
            return;
        }
        var c = message.Context;
        var study = await db.Studies.FindAsync([message.StudyInstanceUid], ct);
        var newStudy = study is null;
        if (study is null)
        {
            study = new IndexedStudy { StudyInstanceUid = message.StudyInstanceUid, FirstReceivedAt = DateTime.UtcNow };
            db.Studies.Add(study);
        }
        // Fill what earlier instances lacked; never overwrite (the first instance of a study wins).
        study.ProjectId ??= message.ProjectId;
        study.PatientId ??= Clean(c?.PatientId);
        study.PatientName ??= Clean(c?.PatientName);
        study.PatientSex ??= Clean(c?.PatientSex);
        study.PatientBirthDate ??= Clean(c?.PatientBirthDate);
        study.StudyDate ??= Clean(c?.StudyDate);
        study.StudyTime ??= Clean(c?.StudyTime);
        study.AccessionNumber ??= Clean(c?.AccessionNumber);
        study.StudyDescription ??= Clean(c?.StudyDescription);
        study.InstitutionName ??= Clean(c?.InstitutionName);

        var series = await db.Series.FindAsync([message.SeriesInstanceUid], ct);
        if (series is null)
        {
            series = new IndexedSeries { SeriesInstanceUid = message.SeriesInstanceUid, StudyInstanceUid = message.StudyInstanceUid };
            db.Series.Add(series);
        }
        series.PatientId ??= study.PatientId;
        series.Modality ??= Clean(message.Modality);
        series.SeriesDescription ??= Clean(c?.SeriesDescription);
        series.ScanDate ??= Clean(c?.SeriesDate) ?? study.StudyDate;
        series.ScanTime ??= Clean(c?.AcquisitionTime) ?? Clean(c?.SeriesTime) ?? Clean(c?.StudyTime);
        series.RadiopharmaceuticalStartTime ??= Clean(c?.RadiopharmaceuticalStartTime);
        series.Radiopharmaceutical ??= Clean(c?.Radiopharmaceutical);

        db.Instances.Add(new IndexedInstance
        {
            InstanceId = message.InstanceId, SopInstanceUid = message.SopInstanceUid, SopClassUid = message.SopClassUid,
            SeriesInstanceUid = message.SeriesInstanceUid, StudyInstanceUid = message.StudyInstanceUid,
            BlobKey = message.BlobKey, SizeBytes = message.SizeBytes, ReceivedAt = message.ReceivedAt.UtcDateTime,
        });

        var linked = newStudy ? await linker.LinkPendingReportsAsync(study, ct) : [];
        await db.SaveChangesAsync(ct);
        if (linked.Count > 0)
        {
            outbox.Notify();
            logger.LogInformation("Study {Study} arrived; linked {Count} pending report(s)", study.StudyInstanceUid, linked.Count);
        }
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
