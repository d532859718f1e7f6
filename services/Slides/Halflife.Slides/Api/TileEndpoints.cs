using Halflife.Imaging.Slides;
using Halflife.Imaging.Tiles;
using Halflife.ServiceDefaults.Security.Audit;
using Halflife.Slides.Catalogue;
using Halflife.Slides.Tiles;

namespace Halflife.Slides.Api;

/// <summary>
/// Deep Zoom for OpenSeadragon. OpenSeadragon derives tile URLs from the .dzi URL ("X.dzi" -> "X_files/L/C_R.jpeg"),
/// so the descriptor and the _files tree are served side by side; /{id}/tiles/... is the same tile under a
/// REST-style path.
/// </summary>
public static class TileEndpoints
{
    private static readonly string[] Associated = ["thumbnail", "label", "macro"];

    public static RouteGroupBuilder MapTileEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}.dzi", DziAsync).WithName("GetSlideDzi").Audited(AuditActions.View, AuditResources.Slide);
        group.MapGet("/{id:guid}_files/{level:int}/{column:int}_{row:int}.jpeg", TileAsync).WithName("GetSlideTileDeepZoom");
        group.MapGet("/{id:guid}/tiles/{level:int}/{column:int}_{row:int}.jpeg", TileAsync).WithName("GetSlideTile");
        group.MapGet("/{id:guid}/thumbnail.png", ThumbnailAsync).WithName("GetSlideThumbnail");
        group.MapGet("/{id:guid}/associated/{name}.png", AssociatedAsync).WithName("GetSlideAssociatedImage");
        return group;
    }

    private static Task<IResult> DziAsync(Guid id, SlidesDbContext db, LocalSlideCache cache, DeepZoomTileService tiles, CancellationToken cancellationToken) =>
        WithSlideAsync(id, db, cache, cancellationToken, key => Task.FromResult(Results.Text(tiles.GetDzi(key), "application/xml")));

    private static Task<IResult> TileAsync(Guid id, int level, int column, int row, SlidesDbContext db, LocalSlideCache cache, DeepZoomTileService tiles,
        HttpContext context, CancellationToken cancellationToken) =>
        WithSlideAsync(id, db, cache, cancellationToken, async key =>
        {
            var jpeg = await tiles.GetTileJpegAsync(key, level, column, row, cancellationToken);
            // A slide id names immutable content (a new upload is a new id), so tiles never change.
            context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return Results.Bytes(jpeg, "image/jpeg");
        });

    private static Task<IResult> ThumbnailAsync(Guid id, SlidesDbContext db, LocalSlideCache cache, DeepZoomTileService tiles, HttpContext context,
        int size = 512, CancellationToken cancellationToken = default)
    {
        if (size is < 1 or > 4096) return Task.FromResult(SlideMapping.Problem(StatusCodes.Status400BadRequest, "size must be between 1 and 4096."));
        return WithSlideAsync(id, db, cache, cancellationToken, async key =>
        {
            context.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.Bytes(await tiles.GetThumbnailPngAsync(key, size, cancellationToken), "image/png");
        });
    }

    private static Task<IResult> AssociatedAsync(Guid id, string name, SlidesDbContext db, LocalSlideCache cache, DeepZoomTileService tiles,
        CancellationToken cancellationToken)
    {
        if (!Associated.Contains(name)) return Task.FromResult(SlideMapping.Problem(StatusCodes.Status404NotFound, $"No associated image '{name}'."));
        return WithSlideAsync(id, db, cache, cancellationToken, async key =>
            Results.Bytes(await tiles.GetAssociatedImagePngAsync(key, name, cancellationToken), "image/png"));
    }

    /// <summary>Makes the slide local, then maps the imaging library's exceptions onto HTTP.</summary>
    private static async Task<IResult> WithSlideAsync(Guid id, SlidesDbContext db, LocalSlideCache cache, CancellationToken cancellationToken,
        Func<string, Task<IResult>> action)
    {
        var slide = await db.FindLiveAsync(id, cancellationToken);
        if (slide is null) return SlideMapping.NotFound(id);
        try
        {
            await cache.EnsureAsync(slide, cancellationToken);
            return await action(LocalSlideCache.IdOf(id));
        }
        catch (Exception e) when (e is TileOutOfRangeException or SlideNotFoundException or KeyNotFoundException)
        {
            return SlideMapping.Problem(StatusCodes.Status404NotFound, e.Message);
        }
        catch (SlideFormatException e)
        {
            return SlideMapping.Problem(StatusCodes.Status422UnprocessableEntity, $"OpenSlide cannot read the slide: {e.Message}");
        }
    }
}
