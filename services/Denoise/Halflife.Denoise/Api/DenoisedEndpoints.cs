using Halflife.Denoise.Denoised;
using Halflife.Dicom.Web;
using Halflife.ServiceDefaults.Storage;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Denoise.Api;

public sealed record DenoisedInstanceDto(Guid Id, Guid SourceInstanceId, string StudyInstanceUid, string SourceSopInstanceUid,
    string DenoisedSopInstanceUid, string DenoisedSeriesInstanceUid, string Method, string Parameters, int Frames, int Width, int Height,
    double Milliseconds, DateTimeOffset CreatedAt);

/// <summary>
/// /api/denoise/denoised: list (by study or source instance), one record, the DICOM file, and the house image
/// endpoints (image info and windowed PNG), so a viewer shows original, denoised and restored images the same way.
/// </summary>
public static class DenoisedEndpoints
{
    public static RouteGroupBuilder MapDenoisedEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/denoised", ListAsync).WithName("ListDenoised");
        group.MapGet("/denoised/{id:guid}", GetAsync).WithName("GetDenoised");
        group.MapGet("/denoised/{id:guid}/file", DownloadAsync).WithName("DownloadDenoised");
        group.MapDicomImage("/denoised", "Denoised", async (context, id, ct) =>
            await context.RequestServices.GetRequiredService<DenoiseDbContext>().DenoisedInstances.AsNoTracking()
                .Where(d => d.Id == id).Select(d => d.BlobKey).FirstOrDefaultAsync(ct));
        return group;
    }

    private static async Task<IResult> ListAsync(DenoiseDbContext db, string? studyInstanceUid, Guid? sourceInstanceId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(studyInstanceUid) && sourceInstanceId is null)
            return Results.Problem("Give studyInstanceUid or sourceInstanceId.", statusCode: StatusCodes.Status400BadRequest);
        var query = db.DenoisedInstances.AsNoTracking();
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
