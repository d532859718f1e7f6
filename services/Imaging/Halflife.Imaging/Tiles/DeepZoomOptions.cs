namespace Halflife.Imaging.Tiles;

/// <summary>How a slide is cut into Deep Zoom tiles. Defaults are those of openslide-python's Deep Zoom server.</summary>
public sealed record DeepZoomOptions
{
    /// <summary>Tile edge without overlap; 254 + 2 x 1 overlap makes 256-pixel tiles inside the pyramid.</summary>
    public int TileSize { get; init; } = 254;

    /// <summary>Extra pixels on each interior tile edge so viewers can blend seams.</summary>
    public int Overlap { get; init; } = 1;

    /// <summary>Render only the scanned area (openslide.bounds-*) rather than the whole scan canvas.</summary>
    public bool LimitBounds { get; init; } = true;

    public int JpegQuality { get; init; } = 75;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(TileSize, 1, nameof(TileSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(TileSize, 4096, nameof(TileSize));
        ArgumentOutOfRangeException.ThrowIfNegative(Overlap, nameof(Overlap));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Overlap, TileSize, nameof(Overlap));
        ArgumentOutOfRangeException.ThrowIfLessThan(JpegQuality, 1, nameof(JpegQuality));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(JpegQuality, 100, nameof(JpegQuality));
    }
}
