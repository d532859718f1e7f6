using System.Buffers;
using Halflife.Imaging.Codecs;
using Halflife.Imaging.Slides;

namespace Halflife.Imaging.Tiles;

/// <summary>
/// Renders Deep Zoom tiles from an open slide: read the region from the best pyramid level,
/// composite it over the slide's background colour, and downscale it to the tile size with the
/// same Lanczos thumbnail step as openslide-python. Thread-safe; holds no cache (see <see cref="ITileCache"/>).
/// </summary>
public sealed class DeepZoomGenerator
{
    private readonly WholeSlideImage _slide;
    private readonly LargeRegionCache? _largeRegions;

    /// <param name="largeRegions">Optional cache shared by generators for whole-level reads (see <see cref="LargeRegionCache"/>).</param>
    public DeepZoomGenerator(WholeSlideImage slide, DeepZoomOptions? options = null, LargeRegionCache? largeRegions = null)
    {
        ArgumentNullException.ThrowIfNull(slide);
        _slide = slide;
        _largeRegions = largeRegions;
        Geometry = new DeepZoomGeometry(
            slide.LevelDimensions, slide.LevelDownsamples, slide.Properties, slide.GetBestLevelForDownsample, options ?? new DeepZoomOptions());
    }

    public DeepZoomGeometry Geometry { get; }

    public IReadOnlyList<DeepZoomLevel> Levels => Geometry.Levels;

    public string GetDzi(string format = "jpeg") => Geometry.GetDzi(format);

    /// <summary>The tile's pixels, opaque BGRX (alpha 255).</summary>
    public Bgra32Image RenderTile(TileAddress address)
    {
        var tile = Render(address, out var pooled);
        try
        {
            return new Bgra32Image(tile.Width, tile.Height, tile.Pixels.AsSpan(0, tile.Width * tile.Height * 4).ToArray());
        }
        finally
        {
            if (pooled.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(pooled);
            }
        }
    }

    /// <summary>The tile as JPEG bytes at the configured quality.</summary>
    /// <exception cref="TileOutOfRangeException">No such tile.</exception>
    /// <exception cref="SlideFormatException">OpenSlide failed to decode the slide's data.</exception>
    public byte[] RenderTileJpeg(TileAddress address)
    {
        var tile = Render(address, out var pooled);
        try
        {
            return JpegCodec.Encode(tile.Pixels.AsSpan(0, tile.Width * tile.Height * 4), tile.Width, tile.Height, Geometry.Options.JpegQuality);
        }
        finally
        {
            if (pooled.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(pooled);
            }
        }
    }

    private (byte[] Pixels, int Width, int Height) Render(TileAddress address, out byte[] pooled)
    {
        var region = Geometry.GetTileRegion(address);
        var width = Math.Max(1, region.ReadWidth);
        var height = Math.Max(1, region.ReadHeight);
        byte[] source;
        if (_largeRegions is not null && _largeRegions.Worthwhile(region))
        {
            pooled = [];
            source = _largeRegions.GetOrRead(this, region, () =>
            {
                var pixels = new byte[width * height * 4];
                ReadComposited(region, pixels);
                return pixels;
            });
        }
        else
        {
            pooled = ArrayPool<byte>.Shared.Rent(width * height * 4);
            source = pooled;
            ReadComposited(region, pooled.AsSpan(0, width * height * 4));
        }

        if (width == region.TileWidth && height == region.TileHeight)
        {
            return (source, width, height);
        }

        return LanczosResampler.Thumbnail(source, width, height, region.TileWidth, region.TileHeight);
    }

    private void ReadComposited(TileRegion region, Span<byte> pixels)
    {
        if (region.ReadWidth > 0 && region.ReadHeight > 0)
        {
            _slide.ReadRegionPremultiplied(pixels, region.Level0X, region.Level0Y, region.SlideLevel, region.ReadWidth, region.ReadHeight);
        }
        else
        {
            pixels.Clear(); // degenerate read at the far edge: transparent, so it becomes background
        }

        var (r, g, b) = _slide.Properties.Background;
        Premultiplied.OverBackground(pixels, r, g, b);
    }
}
