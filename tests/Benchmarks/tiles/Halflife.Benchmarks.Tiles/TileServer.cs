using Halflife.Imaging.Slides;
using Halflife.Imaging.Tiles;

namespace Halflife.Benchmarks.Tiles;

/// <summary>
/// The smallest HTTP face for the tile library, with openslide-python's URL shape
/// ({slide}.dzi, {slide}_files/{level}/{col}_{row}.jpeg) so one driver can measure both servers.
/// The product's endpoint belongs to its service; this exists only to benchmark over HTTP.
/// </summary>
internal static class TileServer
{
    public static async Task<int> RunAsync(Options options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.Get("port", 5080)}");
        var cache = new MemoryTileCache(options.Get("cache-mb", 512) * 1024L * 1024);
        builder.Services.AddSingleton<ITileCache>(cache);
        builder.Services.AddSingleton(sp => new DeepZoomTileService(
            new DirectorySlideLocator(options.Required("slides")), sp.GetRequiredService<ITileCache>(), new DeepZoomOptions()));

        var app = builder.Build();
        app.MapGet("/dzi/{slide}.dzi", (string slide, DeepZoomTileService tiles) =>
            Guard(() => Results.Text(tiles.GetDzi(slide), "application/xml")));
        app.MapGet("/dzi/{slide}_files/{level:int}/{column:int}_{row:int}.jpeg",
            async (string slide, int level, int column, int row, DeepZoomTileService tiles, CancellationToken ct) =>
            {
                try
                {
                    return Results.Bytes(await tiles.GetTileJpegAsync(slide, level, column, row, ct), "image/jpeg");
                }
                catch (Exception e) when (Status(e) is { } status)
                {
                    return Results.Problem(e.Message, statusCode: status);
                }
            });
        app.MapGet("/stats", () => Results.Json(new { cache.Count, cache.SizeBytes, cache.Hits, cache.Misses, cache.Evictions }));

        await app.RunAsync();
        return 0;
    }

    private static IResult Guard(Func<IResult> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (Status(e) is { } status)
        {
            return Results.Problem(e.Message, statusCode: status);
        }
    }

    private static int? Status(Exception e) => e switch
    {
        SlideNotFoundException or TileOutOfRangeException => StatusCodes.Status404NotFound,
        SlideFormatException => StatusCodes.Status422UnprocessableEntity,
        _ => null,
    };
}
