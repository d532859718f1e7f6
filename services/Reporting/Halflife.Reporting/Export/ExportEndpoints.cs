using System.Text.Json;
using Halflife.Reporting.Data;
using Halflife.ServiceDefaults.Security;
using Halflife.ServiceDefaults.Security.Audit;
using Halflife.ServiceDefaults.Storage;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Reporting.Export;

public sealed record ExportFileDto(string Name, string Url);

public sealed record ExportStatusDto(Guid Id, string State, string Stage, int DaysDone, int DaysTotal, int PairsWritten, long FilesWritten,
    IReadOnlyList<string> Log, string? Error, IReadOnlyList<ExportFileDto> Files, bool HasKeyFile, DateTime CreatedAt, DateTime? FinishedAt);

/// <summary>
/// /api/reporting/exports: start a research export, follow it, download its CSV, XLSX and zip. The re-identification
/// key is served only under /api/reporting/admin/ (a separate group, so that an admin-only policy covers it alone).
/// An export contains only studies of its starter's projects and is visible only to its starter and to admins (others
/// get 404); starts, file downloads and key downloads are audited.
/// </summary>
public static class ExportEndpoints
{
    private static readonly Dictionary<string, (Func<ExportJob, string?> Key, string ContentType)> Files = new()
    {
        ["pairs.csv"] = (j => j.CsvBlobKey, "text/csv; charset=utf-8"),
        ["pairs.xlsx"] = (j => j.XlsxBlobKey, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ["images.zip"] = (j => j.ZipBlobKey, "application/zip"),
    };

    public static RouteGroupBuilder MapExportEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("").AddEndpointFilter(OnlyTheStarterAsync);
        group.MapPost("/exports", StartAsync).WithName("StartExport").WithSummary("change: start a research export")
            .Audited(AuditActions.Create, AuditResources.Export, resourceId: AuditEndpointExtensions.CreatedId);
        group.MapGet("/exports", ListAsync).WithName("ListExports").WithSummary("view");
        group.MapGet("/exports/{id:guid}", StatusAsync).WithName("GetExport").WithSummary("view");
        group.MapGet("/exports/{id:guid}/files/{name}", DownloadAsync).WithName("DownloadExportFile").WithSummary("download")
            .Audited(AuditActions.Download, AuditResources.Export);
        return api;
    }

    public static RouteGroupBuilder MapExportAdminEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/exports/{id:guid}/key", KeyAsync).WithName("DownloadExportKey").WithSummary("download: re-identification key (admin)")
            .Audited(AuditActions.Download, AuditResources.Export);
        return admin;
    }

    /// <summary>Someone else's export answers 404 like a missing one (admins see all).</summary>
    private static async ValueTask<object?> OnlyTheStarterAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        if (!Guid.TryParse(http.GetRouteValue("id")?.ToString(), out var id) || http.RequestServices.GetRequiredService<ProjectAccess>().SeesAll)
            return await next(invocation);
        var db = http.RequestServices.GetRequiredService<ReportingDbContext>();
        var job = await db.ExportJobs.AsNoTracking().Where(j => j.Id == id).Select(j => new { j.CreatedBy }).FirstOrDefaultAsync(http.RequestAborted);
        if (job is null || job.CreatedBy == Starter(http)) return await next(invocation);
        await http.RecordDeniedAsync(AuditResources.Export, id.ToString(), null);
        return Results.Problem($"Export {id} does not exist.", statusCode: StatusCodes.Status404NotFound);
    }

    private static string Starter(HttpContext http) => http.User.UserId() ?? http.User.UserNameOrAnonymous();

    private static async Task<IResult> StartAsync(HttpRequest http, ReportingDbContext db, ExportWorker worker, ProjectAccess access, CancellationToken ct)
    {
        ExportRequest request;
        try
        {
            request = http.ContentLength is 0 ? new ExportRequest()
                : await JsonSerializer.DeserializeAsync<ExportRequest>(http.Body, ExportJobRunner.RequestJson, ct) ?? new ExportRequest();
        }
        catch (JsonException e)
        {
            return Results.Problem($"The export request is not valid JSON: {e.Message}", statusCode: StatusCodes.Status400BadRequest);
        }
        if (request.DateFrom > request.DateTo)
            return Results.Problem("dateFrom is after dateTo.", statusCode: StatusCodes.Status400BadRequest);
        var job = new ExportJob
        {
            Id = Guid.CreateVersion7(), State = ExportState.Queued, Stage = "queued",
            RequestJson = JsonSerializer.Serialize(request, ExportJobRunner.RequestJson), CreatedAt = DateTime.UtcNow,
            CreatedBy = Starter(http.HttpContext),
            // The data set holds only what its starter may see, fixed now (a later change of membership does not widen it).
            ProjectScope = access.SeesAll ? null : string.Join(',', access.Projects),
        };
        db.ExportJobs.Add(job);
        await db.SaveChangesAsync(ct);
        worker.Enqueue(job.Id);
        return Results.Accepted($"/api/reporting/exports/{job.Id}", ToDto(job));
    }

    private static async Task<IResult> ListAsync(HttpContext http, ReportingDbContext db, ProjectAccess access, CancellationToken ct)
    {
        var query = db.ExportJobs.AsNoTracking();
        if (!access.SeesAll)
        {
            var starter = Starter(http);
            query = query.Where(j => j.CreatedBy == starter);
        }
        var jobs = await query.OrderByDescending(j => j.CreatedAt).Take(100).ToListAsync(ct);
        return Results.Ok(jobs.Select(ToDto));
    }

    private static async Task<IResult> StatusAsync(ReportingDbContext db, Guid id, CancellationToken ct)
    {
        var job = await db.ExportJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);
        return job is null ? Results.Problem($"Export {id} does not exist.", statusCode: StatusCodes.Status404NotFound) : Results.Ok(ToDto(job));
    }

    private static async Task<IResult> DownloadAsync(ReportingDbContext db, IBlobStore blobs, Guid id, string name, CancellationToken ct)
    {
        var job = await db.ExportJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);
        if (job is null) return Results.Problem($"Export {id} does not exist.", statusCode: StatusCodes.Status404NotFound);
        if (!Files.TryGetValue(name, out var file)) return Results.Problem($"Exports have no file '{name}'.", statusCode: StatusCodes.Status404NotFound);
        if (file.Key(job) is not { } key) return Results.Problem($"Export {id} is {job.State}; its files are not ready.", statusCode: StatusCodes.Status409Conflict);
        return Results.Stream(await blobs.OpenReadAsync(key, cancellationToken: ct), file.ContentType, $"export-{id:N}-{name}");
    }

    private static async Task<IResult> KeyAsync(HttpContext http, ReportingDbContext db, IBlobStore blobs, Guid id, ILoggerFactory loggers, CancellationToken ct)
    {
        var job = await db.ExportJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);
        if (job?.KeyBlobKey is null) return Results.Problem($"Export {id} has no re-identification key.", statusCode: StatusCodes.Status404NotFound);
        // Every key download is logged: it is the one act that re-identifies a data set.
        loggers.CreateLogger("Halflife.Reporting.Export.Key").LogWarning("Re-identification key of export {Id} downloaded by {User} from {Address}",
            id, http.User.Identity?.Name ?? "(anonymous)", http.Connection.RemoteIpAddress);
        http.Response.Headers.CacheControl = "no-store";
        return Results.Stream(await blobs.OpenReadAsync(job.KeyBlobKey, cancellationToken: ct), "application/x-ndjson", $"export-{id:N}-key.jsonl");
    }

    private static ExportStatusDto ToDto(ExportJob j) => new(j.Id, j.State.ToString(), j.Stage, j.DaysDone, j.DaysTotal, j.PairsWritten, j.FilesWritten,
        j.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries), j.Error,
        Files.Where(f => f.Value.Key(j) is not null).Select(f => new ExportFileDto(f.Key, $"/api/reporting/exports/{j.Id}/files/{f.Key}")).ToList(),
        j.KeyBlobKey is not null, DateTime.SpecifyKind(j.CreatedAt, DateTimeKind.Utc), j.FinishedAt is { } f ? DateTime.SpecifyKind(f, DateTimeKind.Utc) : null);
}
