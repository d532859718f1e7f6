using Halflife.Imaging.Codecs;
using System.Globalization;
using System.Text.Json;
using Halflife.Dicom;
using Halflife.Dicom.Imaging;
using Halflife.Reporting.Access;
using Halflife.Reporting.Data;
using Halflife.Reporting.Index;
using Halflife.Reporting.Intake;
using Halflife.Reporting.Parsing;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Halflife.Reporting.Export;

/// <summary>
/// Runs one export: streams the series index ordered by patient and day, pairs each day, looks up the labels, and
/// writes CSV, XLSX and the zip row by row and file by file. Two database contexts: one only streams the series,
/// the other answers lookups and records progress (a context cannot run a query while another one is streaming).
/// </summary>
public sealed class ExportJobRunner(
    IServiceScopeFactory scopes,
    IBlobStore blobs,
    PseudonymKeyProvider keys,
    ReportingMetrics metrics,
    IOptions<ReportingOptions> options,
    IOptions<HalflifeOptions> halflife,
    ILogger<ExportJobRunner> logger)
{
    public static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public async Task RunAsync(Guid jobId, CancellationToken ct)
    {
        await using var lookupScope = scopes.CreateAsyncScope();
        var db = lookupScope.ServiceProvider.GetRequiredService<ReportingDbContext>();
        var job = await db.ExportJobs.FirstAsync(j => j.Id == jobId, ct);
        var work = halflife.Value.ResolveDataPath(Path.Combine("tmp", "reporting-exports", jobId.ToString("N")));
        try
        {
            var request = JsonSerializer.Deserialize<ExportRequest>(job.RequestJson, RequestJson) ?? new ExportRequest();
            job.State = ExportState.Running;
            Directory.CreateDirectory(work);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            await StageAsync(db, job, "selecting", "selecting scan days", ct);
            var from = request.DateFrom is { } f ? DicomDateTime.FormatDate(f) : null;
            var to = request.DateTo is { } t ? DicomDateTime.FormatDate(t) : null;
            job.DaysTotal = await Days(db, from, to, job.ProjectScope).Select(s => new { s.PatientId, s.ScanDate }).Distinct().CountAsync(ct);
            await StageAsync(db, job, "pairing", $"{job.DaysTotal} patient-day(s) to examine", ct);

            var pseudonymizer = request.Deidentify
                ? new Pseudonymizer(await keys.GetAsync(ct), options.Value.Export.MaxDateShiftDays)
                : null;
            var csvPath = Path.Combine(work, "pairs.csv");
            var xlsxPath = Path.Combine(work, "pairs.xlsx");
            var zipPath = Path.Combine(work, "images.zip");
            var keyPath = Path.Combine(work, "key.jsonl");
            var context = new ExportContext(request, pseudonymizer, new ScanPairing(options.Value.Export),
                pseudonymizer is null ? null : new DicomDeidentifier(pseudonymizer),
                pseudonymizer is null ? null : new ReidentificationKeyFile(keyPath, jobId, pseudonymizer.KeyFingerprint, request.Dates));
            await using (var zip = new ZipPackageWriter(zipPath, work))
            {
                using (var csv = new CsvTableWriter(csvPath))
                using (var xlsx = new XlsxTableWriter(xlsxPath))
                using (context.KeyFile)
                {
                    await using var streamScope = scopes.CreateAsyncScope();
                    var stream = streamScope.ServiceProvider.GetRequiredService<ReportingDbContext>();
                    var day = new List<IndexedSeries>();
                    var lastSave = DateTime.UtcNow;
                    await foreach (var series in Days(stream, from, to, job.ProjectScope).OrderBy(s => s.PatientId).ThenBy(s => s.ScanDate).ThenBy(s => s.ScanTime)
                                       .AsAsyncEnumerable().WithCancellation(ct))
                    {
                        if (day.Count > 0 && (day[0].PatientId != series.PatientId || day[0].ScanDate != series.ScanDate))
                        {
                            await ExportDayAsync(db, job, context, day, csv, xlsx, zip, ct);
                            day.Clear();
                            if (DateTime.UtcNow - lastSave > TimeSpan.FromSeconds(2))
                            {
                                await db.SaveChangesAsync(ct);
                                lastSave = DateTime.UtcNow;
                            }
                        }
                        day.Add(series);
                    }
                    if (day.Count > 0) await ExportDayAsync(db, job, context, day, csv, xlsx, zip, ct);
                }
                await StageAsync(db, job, "packaging", $"{job.PairsWritten} pair(s), {zip.Files} image file(s); writing tables and manifest", ct);
                await zip.AddFileAsync("pairs.csv", csvPath, ct);
                await zip.AddFileAsync("pairs.xlsx", xlsxPath, ct);
                await zip.CompleteAsync(ct);
                job.FilesWritten = zip.Files;
            }
            await StageAsync(db, job, "storing", "storing outputs in the blob store", ct);
            var prefix = $"reporting/exports/{jobId:N}";
            job.CsvBlobKey = (await blobs.PutFileAsync($"{prefix}/pairs.csv", csvPath, "text/csv", ct)).Key;
            job.XlsxBlobKey = (await blobs.PutFileAsync($"{prefix}/pairs.xlsx", xlsxPath, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ct)).Key;
            job.ZipBlobKey = (await blobs.PutFileAsync($"{prefix}/images.zip", zipPath, "application/zip", ct)).Key;
            if (pseudonymizer is not null)
                job.KeyBlobKey = (await blobs.PutFileAsync($"reporting/keys/{jobId:N}.jsonl", keyPath, "application/x-ndjson", ct)).Key;
            job.State = ExportState.Completed;
            job.FinishedAt = DateTime.UtcNow;
            await StageAsync(db, job, "completed", $"done: {job.PairsWritten} pair(s), {job.FilesWritten} file(s) in the zip", ct);
            metrics.PairsExported(job.PairsWritten);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(e, "Export {Id} failed", jobId);
            job.State = ExportState.Failed;
            job.Error = e.Message;
            job.FinishedAt = DateTime.UtcNow;
            await StageAsync(db, job, "failed", "failed: " + e.Message, CancellationToken.None);
        }
        finally
        {
            try
            {
                if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
            }
            catch (IOException e)
            {
                logger.LogWarning("Export work folder {Folder} not removed: {Reason}", work, e.Message);
            }
        }
    }

    /// <summary>NM series with a patient and a day, in the date range and the starter's projects.</summary>
    private static IQueryable<IndexedSeries> Days(ReportingDbContext db, string? from, string? to, string? projectScope)
    {
        var query = db.Series.AsNoTracking().Where(s => s.PatientId != null && s.ScanDate != null && (s.Modality == null || s.Modality == "NM"))
            .InScope(db, projectScope);
        if (from is not null) query = query.Where(s => string.Compare(s.ScanDate, from) >= 0);
        if (to is not null) query = query.Where(s => string.Compare(s.ScanDate, to) <= 0);
        return query;
    }

    private async Task StageAsync(ReportingDbContext db, ExportJob job, string stage, string message, CancellationToken ct)
    {
        job.Stage = stage;
        job.Log += $"{DateTime.UtcNow:HH:mm:ss} {stage}: {message}\n";
        logger.LogInformation("Export {Id} {Stage}: {Message}", job.Id, stage, message);
        await db.SaveChangesAsync(ct);
    }

    private async Task ExportDayAsync(ReportingDbContext db, ExportJob job, ExportContext context, List<IndexedSeries> day,
        CsvTableWriter csv, XlsxTableWriter xlsx, ZipPackageWriter zip, CancellationToken ct)
    {
        job.DaysDone++;
        var pair = context.Pairing.Pair(day);
        if (pair is null) return;
        var request = context.Request;
        var patientId = pair.Early.PatientId!;
        var scanDate = pair.Early.ScanDate!;
        var earlyInstances = await db.Instances.AsNoTracking().Where(i => i.SeriesInstanceUid == pair.Early.SeriesInstanceUid).OrderBy(i => i.SopInstanceUid).ToListAsync(ct);
        var standardInstances = await db.Instances.AsNoTracking().Where(i => i.SeriesInstanceUid == pair.Standard.SeriesInstanceUid).OrderBy(i => i.SopInstanceUid).ToListAsync(ct);
        var earlyIds = earlyInstances.Select(i => i.InstanceId).ToList();
        var restored = await db.DerivedImages.AsNoTracking().Where(d => d.Kind == DerivedKind.Restored && earlyIds.Contains(d.SourceInstanceId))
            .OrderBy(d => d.CreatedAt).ToListAsync(ct);
        if (request.HasRestored is { } wantRestored && wantRestored != restored.Count > 0) return;

        var version = await LabelAsync(db, pair, ct);
        if (request.RequireReport && version is null) return;
        if (request.ImpressionCategories is { Count: > 0 } categories
            && (version is null || !categories.Contains(version.ImpressionCategory, StringComparer.OrdinalIgnoreCase))) return;
        if (request.MetastasisSite is { Length: > 0 } site
            && (version is null || !version.MetastasisSites.Split(',').Contains(site, StringComparer.OrdinalIgnoreCase))) return;

        var study = await db.Studies.AsNoTracking().FirstAsync(s => s.StudyInstanceUid == pair.Standard.StudyInstanceUid, ct);
        var scan = DicomDateTime.ParseDate(scanDate)!.Value;
        var patient = context.Patient(patientId, study.PatientName, scan);
        var pairId = context.Pseudonymizer?.PairId(patientId, scanDate) ?? $"{patientId}_{scanDate}";
        string Uid(string kind, string uid)
        {
            if (context.Pseudonymizer is null) return uid;
            var mapped = context.Pseudonymizer.Uid(uid);
            context.KeyFile!.Uid(kind, uid, mapped);
            return mapped;
        }

        var files = 0;
        if (request.Images != ExportImages.None)
        {
            files += await AddImagesAsync(context, zip, pairId, "early", earlyInstances.Select(i => (i.BlobKey, i.SopInstanceUid)), patient, Uid, ct);
            files += await AddImagesAsync(context, zip, pairId, "standard", standardInstances.Select(i => (i.BlobKey, i.SopInstanceUid)), patient, Uid, ct);
            if (request.IncludeRestored)
                files += await AddImagesAsync(context, zip, pairId, "early-restored",
                    restored.Select(d => (d.BlobKey, d.DerivedSopInstanceUid ?? d.Id.ToString())), patient, Uid, ct);
        }
        var deid = context.Pseudonymizer is not null;
        var birth = DicomDateTime.ParseDate(study.PatientBirthDate);
        int? age = birth is { } b ? scan.Year - b.Year - (scan.DayOfYear < b.DayOfYear ? 1 : 0) : null;
        var row = new ExportRow(
            pairId,
            deid ? patient.Pseudonym : patientId,
            deid ? null : study.PatientName,
            study.PatientSex,
            age,
            request.Dates == ExportDates.Offset && deid ? null : patient.MapDate(scan).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            context.DayOffset(patientId, scan),
            Uid("study", pair.Early.StudyInstanceUid), Uid("series", pair.Early.SeriesInstanceUid), pair.Early.ScanTime, pair.EarlyMinutes,
            Uid("study", pair.Standard.StudyInstanceUid), Uid("series", pair.Standard.SeriesInstanceUid), pair.Standard.ScanTime, pair.StandardMinutes,
            pair.Method, pair.Note,
            restored.Count > 0,
            restored.Count > 0 ? $"{restored[^1].ModelName} {restored[^1].ModelVersion}".Trim() : null,
            version?.ImpressionCategory, version?.MetastasisSites, version?.FindingCount, version is null ? null : Findings(version),
            version?.Version, version?.ResultStatus,
            // Free text can name people and places; a de-identified export carries only the structured labels.
            deid ? null : version?.Text,
            files);
        csv.Write(row);
        xlsx.Write(row);
        job.PairsWritten++;
        job.FilesWritten += files;
    }

    /// <summary>The report that labels a pair: linked to the standard study, else to the early one, else by patient and day.</summary>
    private static async Task<ReportVersion?> LabelAsync(ReportingDbContext db, ScanPair pair, CancellationToken ct)
    {
        var report = await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.StudyInstanceUid == pair.Standard.StudyInstanceUid, ct)
                     ?? await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.StudyInstanceUid == pair.Early.StudyInstanceUid, ct)
                     ?? await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.PatientId == pair.Early.PatientId && r.StudyDate == pair.Early.ScanDate, ct);
        if (report is null) return null;
        return await db.ReportVersions.AsNoTracking().FirstAsync(v => v.ReportId == report.Id && v.Version == report.CurrentVersion, ct);
    }

    private static string Findings(ReportVersion version)
    {
        var parsed = ReportJson.Deserialize(version.ParsedJson);
        if (parsed is null) return "";
        return string.Join("; ", parsed.Findings.Select(f =>
        {
            var where = string.Join(" ", new[] { f.Site.ToString(), f.Laterality == Laterality.None ? null : f.Laterality.ToString(),
                f.Levels.Count > 0 ? string.Join(",", f.Levels) : null, f.RibNumbers.Count > 0 ? "rib " + string.Join(",", f.RibNumbers) : null }
                .Where(p => p is not null));
            return $"{where}: {f.Observation}/{f.Interpretation}/{f.Assertion}";
        }));
    }

    private async Task<int> AddImagesAsync(ExportContext context, ZipPackageWriter zip, string pairId, string role,
        IEnumerable<(string BlobKey, string SopInstanceUid)> images, DeidentifiedPatient patient, Func<string, string, string> uid, CancellationToken ct)
    {
        var count = 0;
        var index = 0;
        foreach (var (blobKey, sop) in images)
        {
            index++;
            var name = $"{pairId}/{role}/{index:D3}";
            var exportedSop = uid("sop", sop);
            if (context.Request.Images == ExportImages.Dicom && context.Deidentifier is null)
            {
                await using var raw = await blobs.OpenReadAsync(blobKey, cancellationToken: ct);
                await zip.AddAsync(name + ".dcm", raw, pairId, role, exportedSop, ct);
                count++;
                continue;
            }
            DicomFile file;
            await using (var stream = await blobs.OpenReadAsync(blobKey, cancellationToken: ct))
                file = await DicomFile.OpenAsync(stream, new DicomReadOptions { CancellationToken = ct });
            if (context.Request.Images == ExportImages.Png)
            {
                var frames = Halflife.Dicom.Imaging.DicomPixelData.Create(file.Dataset).NumberOfFrames;
                for (var frame = 0; frame < frames; frame++)
                {
                    var picture = DicomImageRenderer.Render(file.Dataset, frame);
                    using var png = new MemoryStream(PngEncoder.EncodeGrey8(picture.Width, picture.Height, picture.Pixels));
                    await zip.AddAsync($"{name}-f{frame}.png", png, pairId, role, exportedSop, ct);
                    count++;
                }
                continue;
            }
            context.Deidentifier!.Apply(file.Dataset, patient);
            using var buffer = new MemoryStream();
            new DicomFile(file.Dataset).Save(buffer);
            buffer.Position = 0;
            await zip.AddAsync(name + ".dcm", buffer, pairId, role, exportedSop, ct);
            count++;
        }
        return count;
    }
}
