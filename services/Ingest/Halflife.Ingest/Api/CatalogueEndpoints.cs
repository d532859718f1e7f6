using Halflife.Contracts;
using Halflife.Ingest.Catalogue;
using Halflife.ServiceDefaults.Security;
using Halflife.ServiceDefaults.Security.Audit;
using Halflife.ServiceDefaults.Storage;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Ingest.Api;

/// <summary>Finding studies and fetching instances: the catalogue as the web UI and other services query it.</summary>
public static class CatalogueEndpoints
{
    private const int MaxPageSize = 200;

    public static RouteGroupBuilder MapCatalogueEndpoints(this RouteGroupBuilder group)
    {
        // Group-wide, so the image routes mapped beside these are scoped too.
        group.RequireInstanceAccess();
        group.MapGet("/studies", SearchStudiesAsync).WithName("SearchStudies");
        group.MapGet("/studies/{studyInstanceUid}/series", GetSeriesAsync).WithName("GetStudySeries").Audited(AuditActions.View, AuditResources.Study, "studyInstanceUid");
        group.MapGet("/instances/{id:guid}", GetInstanceAsync).WithName("GetInstance").Audited(AuditActions.View, AuditResources.Instance);
        group.MapGet("/instances/{id:guid}/file", DownloadInstanceAsync).WithName("DownloadInstance").Audited(AuditActions.Download, AuditResources.Instance);
        return group;
    }

    /// <param name="from">Study date from (yyyyMMdd or yyyy-MM-dd), inclusive.</param>
    /// <param name="to">Study date to, inclusive.</param>
    private static async Task<IResult> SearchStudiesAsync(IngestDbContext db, ProjectAccess access, IAuditLog audit, string? patientId, string? patientName, string? from, string? to,
        string? modality, string? accession, int page = 1, int pageSize = 50, CancellationToken cancellationToken = default)
    {
        if (page < 1 || pageSize < 1 || pageSize > MaxPageSize)
            return Results.Problem($"page must be >= 1 and pageSize between 1 and {MaxPageSize}.", statusCode: StatusCodes.Status400BadRequest);
        if (!TryParseDate(from, out var fromDate) || !TryParseDate(to, out var toDate))
            return Results.Problem("from/to must be dates as yyyyMMdd or yyyy-MM-dd.", statusCode: StatusCodes.Status400BadRequest);

        var query = db.Studies.AsNoTracking();
        if (!access.SeesAll)
        {
            var projects = access.Projects.ToList();
            var unassigned = access.SeesUnassigned;
            query = query.Where(s => (s.ProjectId == null && unassigned) || (s.ProjectId != null && projects.Contains(s.ProjectId)));
        }
        // A search by patient is itself a look at patient data: it is audited with its criteria.
        if (!string.IsNullOrWhiteSpace(patientId) || !string.IsNullOrWhiteSpace(patientName) || !string.IsNullOrWhiteSpace(accession))
            await audit.RecordAsync(AuditActions.View, AuditResources.Study, "search", details: $"patientId={patientId} patientName={patientName} accession={accession}",
                cancellationToken: cancellationToken);
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

    private static async Task<IResult> GetSeriesAsync(IngestDbContext db, ProjectAccess access, HttpContext http, string studyInstanceUid,
        CancellationToken cancellationToken)
    {
        var study = await db.Studies.AsNoTracking()
            .Include(s => s.Series).ThenInclude(se => se.Instances)
            .FirstOrDefaultAsync(s => s.StudyInstanceUid == studyInstanceUid, cancellationToken);
        if (study is null || !await VisibleAsync(http, access, AuditResources.Study, studyInstanceUid, study.ProjectId))
            return Results.Problem($"Study {studyInstanceUid} is not in the catalogue.", statusCode: StatusCodes.Status404NotFound);
        return Results.Ok(study.Series.OrderBy(s => s.SeriesNumber).Select(s => new SeriesSummary(s.SeriesInstanceUid, s.Modality,
            s.SeriesDescription, s.SeriesNumber, s.Instances.OrderBy(i => i.InstanceNumber).Select(ToSummary).ToList())).ToList());
    }

    private static async Task<IResult> GetInstanceAsync(IngestDbContext db, ProjectAccess access, HttpContext http, Guid id, CancellationToken cancellationToken)
    {
        var instance = await FindVisibleInstanceAsync(db, access, http, id, cancellationToken);
        return instance is null
            ? Results.Problem($"Instance {id} is not in the catalogue.", statusCode: StatusCodes.Status404NotFound)
            : Results.Ok(ToSummary(instance));
    }

    private static async Task<IResult> DownloadInstanceAsync(IngestDbContext db, IBlobStore blobs, ProjectAccess access, HttpContext http, Guid id,
        CancellationToken cancellationToken)
    {
        var instance = await FindVisibleInstanceAsync(db, access, http, id, cancellationToken);
        if (instance is null) return Results.Problem($"Instance {id} is not in the catalogue.", statusCode: StatusCodes.Status404NotFound);
        var content = await blobs.OpenReadAsync(instance.BlobKey, cancellationToken: cancellationToken);
        return Results.Stream(content, "application/dicom", $"{instance.SopInstanceUid}.dcm");
    }

    /// <summary>The instance if it exists and its study's project is the caller's; otherwise null (404, existence not leaked).</summary>
    private static async Task<Instance?> FindVisibleInstanceAsync(IngestDbContext db, ProjectAccess access, HttpContext http, Guid id,
        CancellationToken cancellationToken)
    {
        var found = await db.Instances.AsNoTracking().Where(i => i.Id == id)
            .Select(i => new { Instance = i, i.Series!.Study!.ProjectId }).FirstOrDefaultAsync(cancellationToken);
        if (found is null) return null;
        return await VisibleAsync(http, access, AuditResources.Instance, id.ToString(), found.ProjectId) ? found.Instance : null;
    }

    private static async Task<bool> VisibleAsync(HttpContext http, ProjectAccess access, string resourceType, string resourceId, string? projectId)
    {
        http.Items[AuditEndpointExtensions.ProjectItem] = projectId;
        if (access.CanSee(projectId)) return true;
        await http.RecordDeniedAsync(resourceType, resourceId, projectId);
        return false;
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
