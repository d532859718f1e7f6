namespace Halflife.Segmentation.Pipeline;

/// <summary>One model tile: its top-left corner in overlay pixels; <see cref="Skipped"/> when it shows no tissue.</summary>
internal readonly record struct PlannedTile(int Index, int X, int Y, bool Skipped);

/// <summary>
/// The tiles covering the region, in row-major order (so probability blocks complete row by row), with
/// <see cref="TileSize"/> - <see cref="Overlap"/> between origins. The last tile of a row or column is moved back to
/// end at the region's edge instead of overhanging it, so the model never sees padding where the slide has pixels.
/// </summary>
internal sealed class TilePlan
{
    /// <summary>Bounds the work of one job (and the plan's memory).</summary>
    public const int MaxTiles = 4_000_000;

    private TilePlan(SlideGeometry geometry, int tileSize, int overlap, IReadOnlyList<PlannedTile> tiles)
    {
        Geometry = geometry;
        TileSize = tileSize;
        Overlap = overlap;
        Tiles = tiles;
        Skipped = tiles.Count(t => t.Skipped);
    }

    public SlideGeometry Geometry { get; }

    public int TileSize { get; }

    public int Overlap { get; }

    public IReadOnlyList<PlannedTile> Tiles { get; }

    public int Skipped { get; }

    public double SkippedFraction => Tiles.Count == 0 ? 0 : (double)Skipped / Tiles.Count;

    public static TilePlan Create(SlideGeometry geometry, int tileSize, int overlap, TissueMask? tissue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tileSize);
        if (overlap < 0 || overlap * 2 >= tileSize) throw new ArgumentOutOfRangeException(nameof(overlap), overlap, "Overlap must be 0 up to half the tile.");
        var xs = Origins(geometry.RegionX, geometry.RegionWidth, tileSize, tileSize - overlap);
        var ys = Origins(geometry.RegionY, geometry.RegionHeight, tileSize, tileSize - overlap);
        if ((long)xs.Count * ys.Count > MaxTiles)
            throw new ArgumentException($"{xs.Count} x {ys.Count} tiles exceed the limit of {MaxTiles} per job; segment a region.");
        var tiles = new List<PlannedTile>(xs.Count * ys.Count);
        var d = geometry.Downsample;
        foreach (var y in ys)
            foreach (var x in xs)
            {
                var skipped = tissue is not null && !tissue.AnyTissue(x * d, y * d, tileSize * d, tileSize * d);
                tiles.Add(new PlannedTile(tiles.Count, x, y, skipped));
            }

        return new TilePlan(geometry, tileSize, overlap, tiles);
    }

    private static List<int> Origins(int start, int length, int tile, int stride)
    {
        if (length <= tile) return [start];
        var origins = new List<int>();
        for (var at = start; ; at += stride)
        {
            origins.Add(Math.Min(at, start + length - tile));
            if (at + tile >= start + length) break;
        }

        return origins;
    }
}
