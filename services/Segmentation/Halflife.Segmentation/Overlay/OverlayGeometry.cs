namespace Halflife.Segmentation.Overlay;

/// <summary>
/// The Deep Zoom pyramid of an overlay of <see cref="Width"/> x <see cref="Height"/> probability-map pixels: tiles of
/// 256 without overlap, so the top level's tile (c, r) is exactly the pipeline's probability block (c, r). Levels from
/// the top down to <see cref="OverviewLevel"/> + 1 are pooled from blocks on request; the overview (one small map
/// the worker keeps up to date while the job runs) serves the levels at and below <see cref="OverviewLevel"/>.
/// </summary>
public readonly record struct OverlayGeometry(int Width, int Height)
{
    public const int TileSize = 256;

    /// <summary>The overview's longest side is at most this many pixels (2 bytes each).</summary>
    public const int MaxOverviewSide = 2048;

    /// <summary>Deep Zoom's full-resolution level: ceil(log2(max side)).</summary>
    public int MaxLevel => (int)Math.Ceiling(Math.Log2(Math.Max(1, Math.Max(Width, Height))));

    /// <summary>Halvings from the full map to the overview (at least 1, so the overview is never the full map).</summary>
    public int OverviewShift
    {
        get
        {
            var shift = 1;
            while ((Math.Max(Width, Height) + (1 << shift) - 1) >> shift > MaxOverviewSide) shift++;
            return shift;
        }
    }

    public int OverviewLevel => Math.Max(0, MaxLevel - OverviewShift);

    public int OverviewWidth => Scaled(Width, OverviewShift);

    public int OverviewHeight => Scaled(Height, OverviewShift);

    public int BlockColumns => Scaled(Width, 0, TileSize);

    public int BlockRows => Scaled(Height, 0, TileSize);

    /// <summary>Size of the level in pixels.</summary>
    public (int Width, int Height) LevelSize(int level) => (Scaled(Width, MaxLevel - level), Scaled(Height, MaxLevel - level));

    public (int Columns, int Rows) LevelTiles(int level)
    {
        var (w, h) = LevelSize(level);
        return ((w + TileSize - 1) / TileSize, (h + TileSize - 1) / TileSize);
    }

    public bool Contains(int level, int column, int row)
    {
        if (level < 0 || level > MaxLevel || column < 0 || row < 0) return false;
        var (columns, rows) = LevelTiles(level);
        return column < columns && row < rows;
    }

    /// <summary>Pixel size of tile (column, row) of a level (edge tiles are smaller).</summary>
    public (int Width, int Height) TileSizeAt(int level, int column, int row)
    {
        var (w, h) = LevelSize(level);
        return (Math.Min(TileSize, w - column * TileSize), Math.Min(TileSize, h - row * TileSize));
    }

    private static int Scaled(int size, int shift, int divisor = 1)
    {
        var scaled = (int)(((long)size + (1L << shift) - 1) >> shift);
        return Math.Max(1, (scaled + divisor - 1) / divisor);
    }

    public string ToDzi() =>
        $"""<?xml version="1.0" encoding="UTF-8"?><Image xmlns="http://schemas.microsoft.com/deepzoom/2008" Format="png" Overlap="0" TileSize="{TileSize}"><Size Width="{Width}" Height="{Height}"/></Image>""";
}
