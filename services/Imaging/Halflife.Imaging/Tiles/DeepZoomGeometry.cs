using System.Globalization;
using Halflife.Imaging.Slides;

namespace Halflife.Imaging.Tiles;

/// <summary>
/// The arithmetic of openslide-python's DeepZoomGenerator, kept separate from pixel work so it can
/// be checked against the reference for any slide shape. Four coordinate planes: tile row/column (t),
/// pixels in the Deep Zoom level (z), pixels in the chosen slide level (l), and level-0 pixels (l0).
/// Arithmetic is done in double, like the Python original, so rounding matches it exactly.
/// </summary>
public sealed class DeepZoomGeometry
{
    private readonly DeepZoomOptions _options;
    private readonly SlideSize[] _slideLevelSizes; // active-area size of each slide level
    private readonly IReadOnlyList<double> _slideLevelDownsamples;
    private readonly (long X, long Y) _level0Offset;
    private readonly int[] _slideLevelForZoom;
    private readonly double[] _zoomToSlideLevelDownsample;

    public DeepZoomGeometry(
        IReadOnlyList<SlideSize> slideLevelSizes,
        IReadOnlyList<double> slideLevelDownsamples,
        SlideProperties properties,
        Func<double, int> bestLevelForDownsample,
        DeepZoomOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (slideLevelSizes.Count == 0 || slideLevelSizes.Count != slideLevelDownsamples.Count)
        {
            throw new ArgumentException("Each slide level needs a size and a downsample.", nameof(slideLevelSizes));
        }

        _options = options;
        _slideLevelDownsamples = slideLevelDownsamples;
        var level0 = slideLevelSizes[0];
        if (options.LimitBounds)
        {
            _level0Offset = (properties.ParseLong(SlideProperties.BoundsX) ?? 0, properties.ParseLong(SlideProperties.BoundsY) ?? 0);
            var scaleX = (double)(properties.ParseLong(SlideProperties.BoundsWidth) ?? level0.Width) / level0.Width;
            var scaleY = (double)(properties.ParseLong(SlideProperties.BoundsHeight) ?? level0.Height) / level0.Height;
            _slideLevelSizes = slideLevelSizes
                .Select(s => new SlideSize((long)Math.Ceiling(s.Width * scaleX), (long)Math.Ceiling(s.Height * scaleY)))
                .ToArray();
        }
        else
        {
            _level0Offset = (0, 0);
            _slideLevelSizes = slideLevelSizes.ToArray();
        }

        // Halve (rounding up) until 1x1, then list smallest first: Deep Zoom level 0 is one pixel.
        var size = _slideLevelSizes[0];
        var sizes = new List<SlideSize> { size };
        while (size.Width > 1 || size.Height > 1)
        {
            size = new SlideSize(Math.Max(1, (size.Width + 1) / 2), Math.Max(1, (size.Height + 1) / 2));
            sizes.Add(size);
        }

        sizes.Reverse();
        Levels = sizes
            .Select(s => new DeepZoomLevel(s, TileCountFor(s.Width), TileCountFor(s.Height)))
            .ToArray();

        _slideLevelForZoom = new int[Levels.Count];
        _zoomToSlideLevelDownsample = new double[Levels.Count];
        for (var z = 0; z < Levels.Count; z++)
        {
            var level0Downsample = Math.Pow(2, Levels.Count - z - 1);
            _slideLevelForZoom[z] = bestLevelForDownsample(level0Downsample);
            _zoomToSlideLevelDownsample[z] = level0Downsample / slideLevelDownsamples[_slideLevelForZoom[z]];
        }
    }

    public DeepZoomOptions Options => _options;

    /// <summary>Deep Zoom levels, smallest (1x1) first; the last one has the active area's full size.</summary>
    public IReadOnlyList<DeepZoomLevel> Levels { get; }

    public long TileCount => Levels.Sum(l => (long)l.Columns * l.Rows);

    /// <summary>The slide level a Deep Zoom level reads from.</summary>
    public int SlideLevelFor(int zoomLevel) => _slideLevelForZoom[zoomLevel];

    /// <summary>The .dzi descriptor, byte for byte as openslide-python writes it.</summary>
    public string GetDzi(string format = "jpeg")
    {
        if (format is not ("jpeg" or "png"))
        {
            throw new ArgumentException("Deep Zoom tiles are 'jpeg' or 'png'.", nameof(format));
        }

        var full = Levels[^1].Size;
        return string.Create(CultureInfo.InvariantCulture,
            $"<Image TileSize=\"{_options.TileSize}\" Overlap=\"{_options.Overlap}\" Format=\"{format}\" xmlns=\"http://schemas.microsoft.com/deepzoom/2008\"><Size Width=\"{full.Width}\" Height=\"{full.Height}\" /></Image>");
    }

    /// <exception cref="TileOutOfRangeException">The level, column or row is outside the pyramid.</exception>
    public TileRegion GetTileRegion(TileAddress address)
    {
        var (zoomLevel, column, row) = address;
        if (zoomLevel < 0 || zoomLevel >= Levels.Count)
        {
            throw new TileOutOfRangeException(nameof(address.Level), zoomLevel, $"Deep Zoom level must be 0..{Levels.Count - 1}.");
        }

        var level = Levels[zoomLevel];
        if (column < 0 || column >= level.Columns)
        {
            throw new TileOutOfRangeException(nameof(address.Column), column, $"Column must be 0..{level.Columns - 1} at level {zoomLevel}.");
        }

        if (row < 0 || row >= level.Rows)
        {
            throw new TileOutOfRangeException(nameof(address.Row), row, $"Row must be 0..{level.Rows - 1} at level {zoomLevel}.");
        }

        var slideLevel = _slideLevelForZoom[zoomLevel];
        var x = Axis(column, level.Columns, level.Size.Width, _slideLevelSizes[slideLevel].Width, zoomLevel, slideLevel, _level0Offset.X);
        var y = Axis(row, level.Rows, level.Size.Height, _slideLevelSizes[slideLevel].Height, zoomLevel, slideLevel, _level0Offset.Y);
        return new TileRegion(x.Level0, y.Level0, slideLevel, x.ReadSize, y.ReadSize, x.TileSize, y.TileSize);
    }

    private (long Level0, int ReadSize, int TileSize) Axis(
        int tile, int tiles, long zoomLevelSize, long slideLevelSize, int zoomLevel, int slideLevel, long level0Offset)
    {
        var overlapBefore = tile != 0 ? _options.Overlap : 0;
        var overlapAfter = tile != tiles - 1 ? _options.Overlap : 0;
        var tileSize = (int)Math.Min(_options.TileSize, zoomLevelSize - ((long)_options.TileSize * tile)) + overlapBefore + overlapAfter;

        var zoomLocation = (long)_options.TileSize * tile;
        var slideLocation = _zoomToSlideLevelDownsample[zoomLevel] * (zoomLocation - overlapBefore);
        var level0 = (long)((_slideLevelDownsamples[slideLevel] * slideLocation) + level0Offset);
        var readSize = (long)Math.Min(
            Math.Ceiling(_zoomToSlideLevelDownsample[zoomLevel] * tileSize),
            slideLevelSize - Math.Ceiling(slideLocation));
        return (level0, (int)Math.Max(0, readSize), tileSize);
    }

    private int TileCountFor(long pixels) => (int)((pixels + _options.TileSize - 1) / _options.TileSize);
}
