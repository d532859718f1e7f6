using Halflife.Imaging;
using Halflife.Imaging.Slides;
using Halflife.Imaging.Tiles;

namespace Halflife.Segmentation.Pipeline;

/// <summary>
/// Tiles of a whole-slide image at the model's resolution: read from the pyramid level closest above it (OpenSlide's
/// best level for the downsample), composited over the slide's background colour, then reduced by block averaging
/// when the level is a whole multiple of the model's scale, else resized with the Lanczos resampler the Deep Zoom
/// tiles use.
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

    /// <summary>Level pixels above which the scanner's stored thumbnail is used instead of reading the level.</summary>
    private const long MaxLevelPixelsForThumbnail = 4L * 1024 * 1024;

    /// <summary>
    /// A picture for tissue detection. On a slide whose smallest useful level is large (a single-level scan, like
    /// most small SVS files) reading it would decode the whole slide once more just to find the glass; the
    /// thumbnail the scanner stored (Aperio's "thumbnail") shows the same field, so it is used when its aspect ratio
    /// proves that and it is at least as detailed as the picture asked for.
    /// </summary>
    public Bgra32Image ReadThumbnail(int maxWidth, int maxHeight)
    {
        var downsample = Math.Max((double)slide.Dimensions.Width / maxWidth, (double)slide.Dimensions.Height / maxHeight);
        var level = slide.LevelDimensions[slide.GetBestLevelForDownsample(Math.Max(1, downsample))];
        if (level.Width * level.Height > MaxLevelPixelsForThumbnail && slide.AssociatedImageNames.Contains("thumbnail"))
        {
            var stored = slide.GetAssociatedImageDimensions("thumbnail");
            var aspect = (double)slide.Dimensions.Width / slide.Dimensions.Height;
            var storedAspect = (double)stored.Width / stored.Height;
            if (Math.Abs(storedAspect / aspect - 1) < 0.01 && stored.Width >= Math.Min(maxWidth, slide.Dimensions.Width / downsample) - 1)
            {
                var thumbnail = slide.ReadAssociatedImage("thumbnail");
                var (pixels, width, height) = LanczosResampler.Thumbnail(thumbnail.Pixels, thumbnail.Width, thumbnail.Height, maxWidth, maxHeight);
                return new Bgra32Image(width, height, pixels.Length == width * height * 4 ? pixels : pixels[..(width * height * 4)]);
            }
        }

        return slide.GetThumbnail(maxWidth, maxHeight);
    }

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

        // A whole multiple of the tile (within 0.25 %: 513 level pixels for 256 model pixels at 0.499 vs 1 µm/px) is
        // reduced by averaging k x k blocks (area resampling, as scanners build their levels): cheaper than Lanczos,
        // and the scale difference (under a pixel across the tile; each tile's origin is exact) is far below what a
        // tile model notices or the blending shows.
        var factor = (int)Math.Round((double)read / size);
        if (factor >= 1 && Math.Abs(read - (factor * size)) <= Math.Max(1, read / 400))
        {
            if (factor == 1)
            {
                slide.ReadRegionPremultiplied(bgra, x0, y0, level, size, size);
                Premultiplied.OverBackground(bgra, r, g, b);
                return;
            }

            var block = new byte[size * factor * size * factor * Bgra32Image.BytesPerPixel];
            slide.ReadRegionPremultiplied(block, x0, y0, level, size * factor, size * factor);
            Premultiplied.OverBackground(block, r, g, b);
            AverageBlocks(block, size * factor, factor, bgra);
            return;
        }

        var pixels = new byte[read * read * Bgra32Image.BytesPerPixel];
        slide.ReadRegionPremultiplied(pixels, x0, y0, level, read, read);
        Premultiplied.OverBackground(pixels, r, g, b);
        LanczosResampler.Resize(pixels, read, read, size, size).AsSpan(0, size * size * 4).CopyTo(bgra);
    }

    /// <summary>Each output pixel is the rounded mean of a factor x factor block of the square source.</summary>
    private static void AverageBlocks(byte[] source, int sourceSize, int factor, byte[] target)
    {
        var size = sourceSize / factor;
        var sums = new int[size * 4];
        var half = factor * factor / 2;
        for (var oy = 0; oy < size; oy++)
        {
            Array.Clear(sums);
            for (var y = oy * factor; y < (oy + 1) * factor; y++)
            {
                var row = y * sourceSize * 4;
                for (var x = 0; x < sourceSize; x++)
                {
                    var o = (x / factor) * 4;
                    var i = row + (x * 4);
                    sums[o] += source[i];
                    sums[o + 1] += source[i + 1];
                    sums[o + 2] += source[i + 2];
                }
            }

            var area = factor * factor;
            for (var ox = 0; ox < size; ox++)
            {
                var t = ((oy * size) + ox) * 4;
                target[t] = (byte)((sums[ox * 4] + half) / area);
                target[t + 1] = (byte)((sums[(ox * 4) + 1] + half) / area);
                target[t + 2] = (byte)((sums[(ox * 4) + 2] + half) / area);
                target[t + 3] = 255;
            }
        }
    }
}
