using Halflife.Restore.Derived;
using Halflife.ServiceDefaults.Storage;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Restore.Api;

public sealed record DerivedInstanceDto(Guid Id, Guid SourceInstanceId, string StudyInstanceUid, string SourceSopInstanceUid,
    string DerivedSopInstanceUid, string ModelName, string ModelVersion, DateTimeOffset CreatedAt);

public static class DerivedEndpoints
{
    public static RouteGroupBuilder MapDerivedEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/derived", ListAsync).WithName("ListDerived");
        group.MapGet("/derived/{id:guid}/file", DownloadAsync).WithName("DownloadDerived");
        return group;
    }

    private static async Task<IResult> ListAsync(RestoreDbContext db, string? studyInstanceUid, Guid? sourceInstanceId, CancellationToken cancellationToken)
    {
        if (studyInstanceUid is null && sourceInstanceId is null)
            return Results.Problem("Give studyInstanceUid or sourceInstanceId.", statusCode: StatusCodes.Status400BadRequest);
        var query = db.DerivedInstances.AsNoTracking();
        if (studyInstanceUid is not null) query = query.Where(d => d.StudyInstanceUid == studyInstanceUid);
        if (sourceInstanceId is not null) query = query.Where(d => d.SourceInstanceId == sourceInstanceId);
        var rows = await query.OrderBy(d => d.CreatedAt).Take(1000).ToListAsync(cancellationToken);
        return Results.Ok(rows.Select(d => new DerivedInstanceDto(d.Id, d.SourceInstanceId, d.StudyInstanceUid, d.SourceSopInstanceUid,
            d.DerivedSopInstanceUid, d.ModelName, d.ModelVersion, new DateTimeOffset(DateTime.SpecifyKind(d.CreatedAt, DateTimeKind.Utc)))));
    }

    private static async Task<IResult> DownloadAsync(RestoreDbContext db, IBlobStore blobs, Guid id, CancellationToken cancellationToken)
    {
        var derived = await db.DerivedInstances.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (derived is null) return Results.Problem($"Derived instance {id} does not exist.", statusCode: StatusCodes.Status404NotFound);
        var content = await blobs.OpenReadAsync(derived.BlobKey, cancellationToken: cancellationToken);
        return Results.Stream(content, "application/dicom", $"{derived.DerivedSopInstanceUid}.dcm");
    }
}
