using Halflife.Imaging.Codecs;
using System.Text.Json.Nodes;
using Halflife.Dicom;
using Halflife.Dicom.Imaging;
using Halflife.Reporting.Data;
using Halflife.Reporting.Index;
using Halflife.ServiceDefaults.Storage;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Reporting.StudyReports;

/// <summary>Assembles a study's report from Reporting's own index, the blobs (originals and restored) and the report.</summary>
public sealed class StudyReportBuilder(ReportingDbContext db, IBlobStore blobs, ILogger<StudyReportBuilder> logger)
{
    /// <summary>A whole-body study has a handful of instances; the cap keeps a mis-sent 1,000-slice study cheap.</summary>
    public const int MaxImages = 24;

    public async Task<StudyReportDocument?> BuildAsync(string studyUid, bool withPictures, CancellationToken ct)
    {
        var study = await db.Studies.AsNoTracking().FirstOrDefaultAsync(s => s.StudyInstanceUid == studyUid, ct);
        if (study is null) return null;
        var series = await db.Series.AsNoTracking().Where(s => s.StudyInstanceUid == studyUid).ToListAsync(ct);
        var instances = await db.Instances.AsNoTracking().Where(i => i.StudyInstanceUid == studyUid)
            .OrderBy(i => i.SeriesInstanceUid).ThenBy(i => i.ReceivedAt).Take(MaxImages).ToListAsync(ct);
        var derived = await db.DerivedImages.AsNoTracking().Where(d => d.StudyInstanceUid == studyUid).ToListAsync(ct);
        // Counted, not stored: concurrent InstanceReceived consumers would lose increments of a stored counter.
        var counts = await db.Instances.AsNoTracking().Where(i => i.StudyInstanceUid == studyUid).GroupBy(i => i.SeriesInstanceUid)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);

        var images = new List<ImageEntryDto>();
        foreach (var instance in instances)
        {
            var latest = derived.Where(d => d.SourceInstanceId == instance.InstanceId)
                .OrderBy(d => d.Kind == DerivedKind.Restored ? 0 : 1).ThenByDescending(d => d.CreatedAt).FirstOrDefault();
            images.Add(await ImageEntryAsync(instance, latest, withPictures, ct));
        }
        var models = derived.Select(d => new ModelDto(d.Kind.ToString(), d.ModelName, d.ModelVersion)).Distinct().ToList();
        var report = await ReportAsync(studyUid, ct);
        var seriesDtos = series.OrderBy(s => s.ScanTime).Select(s => new SeriesDto(s.SeriesInstanceUid, s.Modality, s.SeriesDescription,
            DicomDateTime.Iso(s.ScanDate), s.ScanTime, s.RadiopharmaceuticalStartTime, MinutesAfterInjection(s),
            counts.GetValueOrDefault(s.SeriesInstanceUid))).ToList();
        return new StudyReportDocument(
            new PatientDto(study.PatientId, study.PatientName, study.PatientSex, DicomDateTime.Iso(study.PatientBirthDate)),
            new StudyDto(study.StudyInstanceUid, DicomDateTime.Iso(study.StudyDate), study.StudyTime, study.AccessionNumber,
                study.StudyDescription, study.InstitutionName, seriesDtos),
            images, models, report, DateTimeOffset.UtcNow);
    }

    public static int? MinutesAfterInjection(IndexedSeries s) =>
        DicomDateTime.ParseTime(s.ScanTime) is { } scan && DicomDateTime.ParseTime(s.RadiopharmaceuticalStartTime) is { } injection
            ? (int)Math.Round((scan - injection).TotalMinutes)
            : null;

    private async Task<ReportSectionDto?> ReportAsync(string studyUid, CancellationToken ct)
    {
        var report = await db.Reports.AsNoTracking().Where(r => r.StudyInstanceUid == studyUid)
            .OrderByDescending(r => r.UpdatedAt).FirstOrDefaultAsync(ct);
        if (report is null) return null;
        var current = await db.ReportVersions.AsNoTracking().FirstAsync(v => v.ReportId == report.Id && v.Version == report.CurrentVersion, ct);
        return new ReportSectionDto(report.Id, current.Version, report.CurrentVersion, current.ResultStatus, current.Author,
            DateTime.SpecifyKind(current.ReceivedAt, DateTimeKind.Utc), current.ImpressionCategory, current.MetastasisSites, current.Text,
            JsonNode.Parse(current.ParsedJson), report.LinkNote);
    }

    private async Task<ImageEntryDto> ImageEntryAsync(IndexedInstance instance, DerivedImage? derived, bool withPictures, CancellationToken ct)
    {
        var originalUrl = $"/api/reporting/instances/{instance.InstanceId}/render.png";
        ImageQuality? quality = null;
        byte[]? png = null;
        string? problem = null;
        try
        {
            var dataset = await OpenAsync(instance.BlobKey, ct);
            quality = ImageQuality.Measure(dataset);
            if (withPictures) png = Png(DicomImageRenderer.Render(dataset, 0));
        }
        catch (Exception e) when (e is DicomException or BlobNotFoundException)
        {
            problem = $"original not measurable: {e.Message}";
            logger.LogWarning("Study report: instance {Sop} cannot be measured: {Reason}", instance.SopInstanceUid, e.Message);
        }
        DerivedEntryDto? restored = null;
        if (derived is not null)
        {
            ImageQuality? dq = null;
            byte[]? dpng = null;
            try
            {
                var dataset = await OpenAsync(derived.BlobKey, ct);
                dq = ImageQuality.Measure(dataset);
                if (withPictures) dpng = Png(DicomImageRenderer.Render(dataset, 0));
            }
            catch (Exception e) when (e is DicomException or BlobNotFoundException)
            {
                problem = (problem is null ? "" : problem + "; ") + $"restored image not measurable: {e.Message}";
            }
            restored = new DerivedEntryDto(derived.Id, derived.DerivedSopInstanceUid, derived.Kind.ToString(), derived.ModelName, derived.ModelVersion,
                $"/api/reporting/derived/{derived.Id}/render.png", dq, quality is not null && dq is not null ? QualityComparison.Of(quality, dq) : null)
            { Png = dpng };
        }
        return new ImageEntryDto(instance.InstanceId, instance.SopInstanceUid, instance.SeriesInstanceUid, originalUrl, quality, restored, problem)
        { OriginalPng = png };
    }

    public async Task<DicomDataset> OpenAsync(string blobKey, CancellationToken ct)
    {
        await using var stream = await blobs.OpenReadAsync(blobKey, cancellationToken: ct);
        return (await DicomFile.OpenAsync(stream, new DicomReadOptions { CancellationToken = ct })).Dataset;
    }

    private static byte[] Png(GreyImage image) => PngEncoder.EncodeGrey8(image.Width, image.Height, image.Pixels);
}
