using Halflife.Dicom.Web;
using Halflife.Restore.Derived;
using Halflife.Restore.Forwarding;
using Halflife.Restore.Pipeline;
using Halflife.ServiceDefaults.Security;
using Halflife.ServiceDefaults.Security.Audit;
using Halflife.ServiceDefaults.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Halflife.Restore.Api;

public sealed record DerivedInstanceDto(Guid Id, Guid SourceInstanceId, string StudyInstanceUid, string SourceSopInstanceUid,
    string DerivedSopInstanceUid, string ModelName, string ModelVersion, DateTimeOffset CreatedAt);

public sealed record ForwardingDto(Guid Id, string Destination, string Status, int Attempts, int? LastStatusCode, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? CompletedAt);

public sealed record DerivedInstanceDetailsDto(DerivedInstanceDto Instance, IReadOnlyList<ForwardingDto> Forwarding);

/// <summary>
/// /api/restore/derived: list (by study or source), one derived instance with its forwarding history, its DICOM
/// file, its image info and windowed PNG (the house convention shared with originals and denoised images), and a
/// request to forward it again. A derived object belongs to its original's project: other projects' callers get 404
/// and lists leave it out; views of the record, downloads and forward requests are audited.
/// </summary>
public static class DerivedEndpoints
{
    public static RouteGroupBuilder MapDerivedEndpoints(this RouteGroupBuilder api)
    {
        var view = api.MapGroup("").WithGroupName("restore-view").RequireProjectAccess(AuditResources.DerivedImage, ProjectOfAsync);
        view.MapGet("/derived", ListAsync).WithName("ListDerived");
        view.MapGet("/derived/{id:guid}", GetAsync).WithName("GetDerived").Audited(AuditActions.View, AuditResources.DerivedImage);
        view.MapGet("/derived/{id:guid}/forwarding", ForwardingAsync).WithName("GetDerivedForwarding");
        view.MapDicomImage("/derived", "Restored", async (context, id, ct) =>
            await context.RequestServices.GetRequiredService<RestoreDbContext>().DerivedInstances.AsNoTracking()
                .Where(d => d.Id == id).Select(d => d.BlobKey).FirstOrDefaultAsync(ct));

        var download = api.MapGroup("").WithGroupName("restore-download").RequireProjectAccess(AuditResources.DerivedImage, ProjectOfAsync);
        download.MapGet("/derived/{id:guid}/file", DownloadAsync).WithName("DownloadDerived").Audited(AuditActions.Download, AuditResources.DerivedImage);

        var change = api.MapGroup("").WithGroupName("restore-change").RequireProjectAccess(AuditResources.DerivedImage, ProjectOfAsync);
        change.MapPost("/derived/{id:guid}/forward", ForwardAgainAsync).WithName("ForwardDerived").Audited(AuditActions.Change, AuditResources.DerivedImage);
        return api;
    }

    private static async Task<ResourceProject?> ProjectOfAsync(HttpContext context, string id, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid)) return null;
        return await context.RequestServices.GetRequiredService<RestoreDbContext>().DerivedInstances.AsNoTracking()
            .Where(d => d.Id == guid).Select(d => new ResourceProject(d.ProjectId)).FirstOrDefaultAsync(cancellationToken);
    }

    private static async Task<IResult> ListAsync(RestoreDbContext db, ProjectAccess access, string? studyInstanceUid, Guid? sourceInstanceId,
        CancellationToken cancellationToken)
    {
        if (studyInstanceUid is null && sourceInstanceId is null)
            return Results.Problem("Give studyInstanceUid or sourceInstanceId.", statusCode: StatusCodes.Status400BadRequest);
        var query = db.DerivedInstances.AsNoTracking().VisibleTo(access, d => d.ProjectId);
        if (studyInstanceUid is not null) query = query.Where(d => d.StudyInstanceUid == studyInstanceUid);
        if (sourceInstanceId is not null) query = query.Where(d => d.SourceInstanceId == sourceInstanceId);
        var rows = await query.OrderBy(d => d.CreatedAt).Take(1000).ToListAsync(cancellationToken);
        return Results.Ok(rows.Select(ToDto));
    }

    private static async Task<IResult> GetAsync(RestoreDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var derived = await db.DerivedInstances.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (derived is null) return NotFound(id);
        return Results.Ok(new DerivedInstanceDetailsDto(ToDto(derived), await ForwardingOfAsync(db, id, cancellationToken)));
    }

    private static async Task<IResult> ForwardingAsync(RestoreDbContext db, Guid id, CancellationToken cancellationToken)
    {
        if (!await db.DerivedInstances.AnyAsync(d => d.Id == id, cancellationToken)) return NotFound(id);
        return Results.Ok(await ForwardingOfAsync(db, id, cancellationToken));
    }

    private static async Task<IResult> DownloadAsync(RestoreDbContext db, IBlobStore blobs, Guid id, CancellationToken cancellationToken)
    {
        var derived = await db.DerivedInstances.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (derived is null) return NotFound(id);
        var content = await blobs.OpenReadAsync(derived.BlobKey, cancellationToken: cancellationToken);
        return Results.Stream(content, "application/dicom", $"{derived.DerivedSopInstanceUid}.dcm");
    }

    /// <summary>Queues another forwarding of an instance (after a failure was fixed, or for a PACS that lost it).</summary>
    private static async Task<IResult> ForwardAgainAsync(RestoreDbContext db, IOptions<RestoreOptions> options, ForwardingSignal signal, Guid id,
        CancellationToken cancellationToken)
    {
        var destination = options.Value.Forwarding;
        if (!destination.Enabled)
            return Results.Problem("Forwarding is not configured (Restore:Forwarding:Enabled is false).", statusCode: StatusCodes.Status409Conflict);
        var derived = await db.DerivedInstances.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (derived is null) return NotFound(id);
        if (await db.ForwardingJobs.AnyAsync(j => j.DerivedInstanceId == id && j.Status == ForwardingStatus.Pending, cancellationToken))
            return Results.Problem($"Derived instance {id} is already waiting to be forwarded.", statusCode: StatusCodes.Status409Conflict);
        var job = ForwardingJobs.For(derived, destination, DateTime.UtcNow);
        db.ForwardingJobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        return Results.Accepted($"/api/restore/derived/{id}/forwarding", ToDto(job));
    }

    private static async Task<IReadOnlyList<ForwardingDto>> ForwardingOfAsync(RestoreDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var jobs = await db.ForwardingJobs.AsNoTracking().Where(j => j.DerivedInstanceId == id).OrderBy(j => j.CreatedAt).ToListAsync(cancellationToken);
        return jobs.Select(ToDto).ToList();
    }

    private static DerivedInstanceDto ToDto(DerivedInstance d) => new(d.Id, d.SourceInstanceId, d.StudyInstanceUid, d.SourceSopInstanceUid,
        d.DerivedSopInstanceUid, d.ModelName, d.ModelVersion, Utc(d.CreatedAt));

    private static ForwardingDto ToDto(ForwardingJob j) => new(j.Id, $"{j.CalledAeTitle}@{j.Host}:{j.Port}", j.Status.ToString(), j.Attempts,
        j.LastStatusCode, j.LastError, Utc(j.CreatedAt), j.Status == ForwardingStatus.Pending ? Utc(j.NextAttemptAt) : null,
        j.CompletedAt is { } done ? Utc(done) : null);

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));

    private static IResult NotFound(Guid id) => Results.Problem($"Derived instance {id} does not exist.", statusCode: StatusCodes.Status404NotFound);
}
