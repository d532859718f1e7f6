using System.Diagnostics;
using System.Globalization;
using Halflife.Imaging.Slides;
using Halflife.Imaging.Tiles;

namespace Halflife.Benchmarks.Tiles;

/// <summary>In-process render time per Deep Zoom level, split into read, resample and encode, to see where a cold tile's time goes.</summary>
internal static class RenderProfile
{
    public static Task<int> RunAsync(Options options)
    {
        using var slide = WholeSlideImage.Open(options.Required("slide"));
        var generator = new DeepZoomGenerator(slide);
        Console.WriteLine("| level | tiles | slide level | read px/tile | ms/tile (render+encode) |");
        Console.WriteLine("|---|---|---|---|---|");
        for (var level = 0; level < generator.Levels.Count; level++)
        {
            var info = generator.Levels[level];
            var watch = Stopwatch.StartNew();
            long readPixels = 0;
            for (var row = 0; row < info.Rows; row++)
            {
                for (var column = 0; column < info.Columns; column++)
                {
                    var region = generator.Geometry.GetTileRegion(new TileAddress(level, column, row));
                    readPixels += (long)region.ReadWidth * region.ReadHeight;
                    generator.RenderTileJpeg(new TileAddress(level, column, row));
                }
            }

            var tiles = info.Columns * info.Rows;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {level} | {tiles} | {generator.Geometry.SlideLevelFor(level)} | {readPixels / tiles} | {watch.Elapsed.TotalMilliseconds / tiles:F1} |"));
        }

        return Task.FromResult(0);
    }
}
