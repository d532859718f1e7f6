using Halflife.Contracts;
using Halflife.Ingest.Catalogue;
using Halflife.ServiceDefaults.Storage;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Ingest.Api;

/// <summary>Finding studies and fetching instances: the catalogue as the web UI and other services query it.</summary>
public static class CatalogueEndpoints
{
    private const int MaxPageSize = 200;

    public static RouteGroupBuilder MapCatalogueEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/studies", SearchStudiesAsync).WithName("SearchStudies");
        group.MapGet("/studies/{studyInstanceUid}/series", GetSeriesAsync).WithName("GetStudySeries");
        group.MapGet("/instances/{id:guid}", GetInstanceAsync).WithName("GetInstance");
        group.MapGet("/instances/{id:guid}/file", DownloadInstanceAsync).WithName("DownloadInstance");
        return group;
    }

    /// <param name="from">Study date from (yyyyMMdd or yyyy-MM-dd), inclusive.</param>
    /// <param name="to">Study date to, inclusive.</param>
    private static async Task<IResult> SearchStudiesAsync(IngestDbContext db, string? patientId, string? patientName, string? from, string? to,
        string? modality, string? accession, int page = 1, int pageSize = 50, CancellationToken cancellationToken = default)
    {
        if (page < 1 || pageSize < 1 || pageSize > MaxPageSize)
            return Results.Problem($"page must be >= 1 and pageSize between 1 and {MaxPageSize}.", statusCode: StatusCodes.Status400BadRequest);
        if (!TryParseDate(from, out var fromDate) || !TryParseDate(to, out var toDate))
            return Results.Problem("from/to must be dates as yyyyMMdd or yyyy-MM-dd.", statusCode: StatusCodes.Status400BadRequest);

        var query = db.Studies.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(patientId)) query = query.Where(s => s.PatientId == patientId);
        if (!string.IsNullOrWhiteSpace(patientName)) query = query.Where(s => s.PatientName != null && s.PatientName.Contains(patientName));
        if (!string.IsNullOrWhiteSpace(accession)) query = query.Where(s => s.AccessionNumber == accession);
        // DA values compare correctly as text (yyyyMMdd).
        if (fromDate is not null) query = query.Where(s => string.Compare(s.StudyDate, fromDate) >= 0);
        if (toDate is not null) query = query.Where(s => string.Compare(s.StudyDate, toDate) <= 0);
        if (!string.IsNullOrWhiteSpace(modality)) query = query.Where(s => s.Series.Any(se => se.Modality == modality));

        var total = await query.CountAsync(cancellationToken);
        var studies = await query
            .OrderByDescending(s => s.LastInstanceAt)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken);
        // Second query for the per-study series facts: SQLite cannot translate the correlated form (no APPLY).
        var ids = studies.Select(s => s.Id).ToList();
        var series = await db.Series.AsNoTracking().Where(se => ids.Contains(se.StudyId))
            .Select(se => new { se.StudyId, se.Modality, Instances = se.Instances.Count })
            .ToListAsync(cancellationToken);
        var items = studies.Select(s =>
        {
            var own = series.Where(se => se.StudyId == s.Id).ToList();
            return new StudySummary(s.StudyInstanceUid, s.PatientId, s.PatientName, s.StudyDate, s.AccessionNumber, s.StudyDescription,
                own.Select(se => se.Modality).OfType<string>().Distinct().ToList(), own.Count, own.Sum(se => se.Instances),
                AsUtc(s.LastInstanceAt), s.CompletedAt is not null);
        }).ToList();
        return Results.Ok(new PagedResult<StudySummary>(items, page, pageSize, total));
    }

    private static async Task<IResult> GetSeriesAsync(IngestDbContext db, string studyInstanceUid, CancellationToken cancellationToken)
    {
        var study = await db.Studies.AsNoTracking()
            .Include(s => s.Series).ThenInclude(se => se.Instances)
            .FirstOrDefaultAsync(s => s.StudyInstanceUid == studyInstanceUid, cancellationToken);
        if (study is null) return Results.Problem($"Study {studyInstanceUid} is not in the catalogue.", statusCode: StatusCodes.Status404NotFound);
        return Results.Ok(study.Series.OrderBy(s => s.SeriesNumber).Select(s => new SeriesSummary(s.SeriesInstanceUid, s.Modality,
            s.SeriesDescription, s.SeriesNumber, s.Instances.OrderBy(i => i.InstanceNumber).Select(ToSummary).ToList())).ToList());
    }

    private static async Task<IResult> GetInstanceAsync(IngestDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var instance = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        return instance is null
            ? Results.Problem($"Instance {id} is not in the catalogue.", statusCode: StatusCodes.Status404NotFound)
            : Results.Ok(ToSummary(instance));
    }

    private static async Task<IResult> DownloadInstanceAsync(IngestDbContext db, IBlobStore blobs, Guid id, CancellationToken cancellationToken)
    {
        var instance = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (instance is null) return Results.Problem($"Instance {id} is not in the catalogue.", statusCode: StatusCodes.Status404NotFound);
        var content = await blobs.OpenReadAsync(instance.BlobKey, cancellationToken: cancellationToken);
        return Results.Stream(content, "application/dicom", $"{instance.SopInstanceUid}.dcm");
    }

    private static InstanceSummary ToSummary(Instance i) =>
        new(i.Id, i.SopInstanceUid, i.SopClassUid, i.TransferSyntaxUid, i.InstanceNumber, i.SizeBytes, AsUtc(i.ReceivedAt));

    private static DateTimeOffset AsUtc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static bool TryParseDate(string? value, out string? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(value)) return true;
        var digits = value.Replace("-", "", StringComparison.Ordinal);
        if (digits.Length != 8 || !DateOnly.TryParseExact(digits, "yyyyMMdd", out _)) return false;
        date = digits;
        return true;
    }
}
