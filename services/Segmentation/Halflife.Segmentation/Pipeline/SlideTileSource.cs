using Halflife.Imaging;
using Halflife.Imaging.Slides;
using Halflife.Imaging.Tiles;

namespace Halflife.Segmentation.Pipeline;

/// <summary>
/// Tiles of a whole-slide image at the model's resolution: read from the pyramid level closest above it (OpenSlide's
/// best level for the downsample), composited over the slide's background colour, and resized with the Lanczos
/// resampler the Deep Zoom tiles use when the level's scale is not exactly the model's.
/// </summary>
internal sealed class SlideTileSource(WholeSlideImage slide) : ITileSource
{
    public (long Width, long Height) Dimensions => (slide.Dimensions.Width, slide.Dimensions.Height);

    public double? MicronsPerPixel =>
        (slide.Properties.MicronsPerPixelX, slide.Properties.MicronsPerPixelY) switch
        {
            ({ } x and > 0, { } y and > 0) => (x + y) / 2,
            ({ } x and > 0, _) => x,
            (_, { } y and > 0) => y,
            _ => null,
        };

    public Bgra32Image ReadThumbnail(int maxWidth, int maxHeight) => slide.GetThumbnail(maxWidth, maxHeight);

    public void ReadTile(long x, long y, int size, double downsample, byte[] bgra)
    {
        var level = slide.GetBestLevelForDownsample(downsample);
        var levelDownsample = slide.LevelDownsamples[level];
        // The tile's level-0 extent in pixels of the chosen level; equal to the tile size when the level is the
        // model's resolution, and then no resampling is needed.
        var read = Math.Max(1, (int)Math.Round(size * downsample / levelDownsample));
        var x0 = (long)Math.Round(x * downsample);
        var y0 = (long)Math.Round(y * downsample);
        var (r, g, b) = slide.Properties.Background;
        if (read == size)
        {
            slide.ReadRegionPremultiplied(bgra, x0, y0, level, size, size);
            OverBackground(bgra, r, g, b);
            return;
        }

        var pixels = new byte[read * read * Bgra32Image.BytesPerPixel];
        slide.ReadRegionPremultiplied(pixels, x0, y0, level, read, read);
        OverBackground(pixels, r, g, b);
        LanczosResampler.Resize(pixels, read, read, size, size).AsSpan(0, size * size * 4).CopyTo(bgra);
    }

    /// <summary>Premultiplied BGRA over an opaque colour: the model must see the scanner's background, never black.</summary>
    private static void OverBackground(Span<byte> bgra, byte r, byte g, byte b)
    {
        for (var i = 0; i + 3 < bgra.Length; i += 4)
        {
            int a = bgra[i + 3];
            if (a == 255) continue;
            var inverse = 255 - a;
            bgra[i] = (byte)Math.Min(255, bgra[i] + (((b * inverse) + 127) / 255));
            bgra[i + 1] = (byte)Math.Min(255, bgra[i + 1] + (((g * inverse) + 127) / 255));
            bgra[i + 2] = (byte)Math.Min(255, bgra[i + 2] + (((r * inverse) + 127) / 255));
            bgra[i + 3] = 255;
        }
    }
}
