using Halflife.Denoise.Denoised;
using Halflife.Dicom.Web;
using Halflife.ServiceDefaults.Security;
using Halflife.ServiceDefaults.Security.Audit;
using Halflife.ServiceDefaults.Storage;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Denoise.Api;

public sealed record DenoisedInstanceDto(Guid Id, Guid SourceInstanceId, string StudyInstanceUid, string SourceSopInstanceUid,
    string DenoisedSopInstanceUid, string DenoisedSeriesInstanceUid, string Method, string Parameters, int Frames, int Width, int Height,
    double Milliseconds, DateTimeOffset CreatedAt);

/// <summary>
/// /api/denoise/denoised: list (by study or source instance), one record, the DICOM file, and the house image
/// endpoints (image info and windowed PNG), so a viewer shows original, denoised and restored images the same way.
/// A denoised object belongs to its original's project: other projects' callers get 404 and lists leave it out;
/// views of the record and image and downloads are audited (render.png, fetched per frame and window, is not).
/// </summary>
public static class DenoisedEndpoints
{
    public static RouteGroupBuilder MapDenoisedEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("").RequireProjectAccess(AuditResources.DerivedImage, ProjectOfAsync);
        group.MapGet("/denoised", ListAsync).WithName("ListDenoised");
        group.MapGet("/denoised/{id:guid}", GetAsync).WithName("GetDenoised").Audited(AuditActions.View, AuditResources.DerivedImage);
        group.MapGet("/denoised/{id:guid}/file", DownloadAsync).WithName("DownloadDenoised").Audited(AuditActions.Download, AuditResources.DerivedImage);
        group.MapDicomImage("/denoised", "Denoised", async (context, id, ct) =>
            await context.RequestServices.GetRequiredService<DenoiseDbContext>().DenoisedInstances.AsNoTracking()
                .Where(d => d.Id == id).Select(d => d.BlobKey).FirstOrDefaultAsync(ct));
        return api;
    }

    private static async Task<ResourceProject?> ProjectOfAsync(HttpContext context, string id, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid)) return null;
        return await context.RequestServices.GetRequiredService<DenoiseDbContext>().DenoisedInstances.AsNoTracking()
            .Where(d => d.Id == guid).Select(d => new ResourceProject(d.ProjectId)).FirstOrDefaultAsync(cancellationToken);
    }

    private static async Task<IResult> ListAsync(DenoiseDbContext db, ProjectAccess access, string? studyInstanceUid, Guid? sourceInstanceId,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(studyInstanceUid) && sourceInstanceId is null)
            return Results.Problem("Give studyInstanceUid or sourceInstanceId.", statusCode: StatusCodes.Status400BadRequest);
        var query = db.DenoisedInstances.AsNoTracking().VisibleTo(access, d => d.ProjectId);
        if (!string.IsNullOrWhiteSpace(studyInstanceUid)) query = query.Where(d => d.StudyInstanceUid == studyInstanceUid);
        if (sourceInstanceId is not null) query = query.Where(d => d.SourceInstanceId == sourceInstanceId);
        var rows = await query.OrderBy(d => d.CreatedAt).Take(1000).ToListAsync(cancellationToken);
        return Results.Ok(rows.Select(ToDto));
    }

    private static async Task<IResult> GetAsync(DenoiseDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var row = await db.DenoisedInstances.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        return row is null ? NotFound(id) : Results.Ok(ToDto(row));
    }

    private static async Task<IResult> DownloadAsync(DenoiseDbContext db, IBlobStore blobs, Guid id, CancellationToken cancellationToken)
    {
        var row = await db.DenoisedInstances.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (row is null) return NotFound(id);
        var content = await blobs.OpenReadAsync(row.BlobKey, cancellationToken: cancellationToken);
        return Results.Stream(content, "application/dicom", $"{row.DenoisedSopInstanceUid}.dcm");
    }

    private static IResult NotFound(Guid id) =>
        Results.Problem($"Denoised instance {id} does not exist.", statusCode: StatusCodes.Status404NotFound);

    private static DenoisedInstanceDto ToDto(DenoisedInstance d) => new(d.Id, d.SourceInstanceId, d.StudyInstanceUid, d.SourceSopInstanceUid,
        d.DenoisedSopInstanceUid, d.DenoisedSeriesInstanceUid, d.Method, d.Parameters, d.Frames, d.Width, d.Height, d.Milliseconds,
        new DateTimeOffset(DateTime.SpecifyKind(d.CreatedAt, DateTimeKind.Utc)));
}
