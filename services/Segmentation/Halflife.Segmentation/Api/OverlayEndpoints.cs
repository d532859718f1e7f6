using Halflife.Segmentation.Jobs;
using Halflife.Segmentation.Overlay;
using Halflife.ServiceDefaults.Security;

namespace Halflife.Segmentation.Api;

/// <summary>
/// The probability map as a Deep Zoom image the viewer lays over the slide: overlay.dzi and
/// overlay_files/{level}/{column}_{row}.png. Tiles of a running job are pending: served, never cached
/// (Cache-Control: no-store, X-Overlay-Pending: 1), so the viewer fetches them again and the map fills in.
/// </summary>
public static class OverlayEndpoints
{
    public const string PendingHeader = "X-Overlay-Pending";

    public static RouteGroupBuilder MapOverlayEndpoints(this RouteGroupBuilder api)
    {
        var view = api.MapGroup("/jobs").WithGroupName("segmentation-view");
        view.MapGet("/{id:guid}/overlay.dzi", DziAsync).WithName("GetSegmentationOverlayDzi");
        view.MapGet("/{id:guid}/overlay_files/{level:int}/{column:int}_{row:int}.png", TileAsync).WithName("GetSegmentationOverlayTile");
        return api;
    }

    private static async Task<IResult> DziAsync(Guid id, SegmentationDbContext db, ProjectAccess access, HttpContext http, CancellationToken cancellationToken)
    {
        var job = await db.FindVisibleAsync(id, access, cancellationToken);
        if (job is null) return JobEndpoints.JobNotFound(id);
        if (job.OverlayWidth <= 0)
            return JobEndpoints.Problem(StatusCodes.Status409Conflict,
                job.IsFinished ? $"Segmentation job {id} ended without an overlay." : $"Segmentation job {id} has not planned its overlay yet; ask again shortly.");
        http.Response.Headers.CacheControl = "private, max-age=3600";
        return Results.Text(new OverlayGeometry(job.OverlayWidth, job.OverlayHeight).ToDzi(), "application/xml");
    }

    private static async Task<IResult> TileAsync(Guid id, int level, int column, int row, SegmentationDbContext db, ProjectAccess access,
        OverlayTiles tiles, HttpContext http, CancellationToken cancellationToken)
    {
        var job = await db.FindVisibleAsync(id, access, cancellationToken);
        if (job is null) return JobEndpoints.JobNotFound(id);
        if (job.OverlayWidth <= 0)
            return JobEndpoints.Problem(StatusCodes.Status409Conflict, $"Segmentation job {id} has not planned its overlay yet.");
        var geometry = new OverlayGeometry(job.OverlayWidth, job.OverlayHeight);
        if (!geometry.Contains(level, column, row))
            return JobEndpoints.Problem(StatusCodes.Status404NotFound, $"Overlay tile {level}/{column}_{row} is outside the pyramid (levels 0..{geometry.MaxLevel}).");
        var tile = await tiles.RenderAsync(job, level, column, row, cancellationToken);
        if (tile.Pending)
        {
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers[PendingHeader] = "1";
        }
        else
        {
            http.Response.Headers.CacheControl = "private, max-age=86400, immutable";
        }
        return Results.Bytes(tile.Png, "image/png");
    }
}
