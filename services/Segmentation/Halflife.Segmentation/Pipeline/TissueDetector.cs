using Halflife.Imaging;

namespace Halflife.Segmentation.Pipeline;

/// <summary>
/// Finds tissue on a low-resolution picture of the slide (about 8 µm per pixel) so that background tiles are never
/// read or inferred. Stained tissue is coloured; glass, the scanner's background and out-of-scan areas are near grey,
/// so the cue is saturation, thresholded with Otsu's method. The threshold is clamped: on a slide that is all glass
/// (or all tissue) Otsu would split noise, so a floor keeps white white and a ceiling keeps pale tissue tissue. An
/// opening drops isolated specks (dust, noise), then a dilation adds a margin so tissue edges are never cut.
/// </summary>
internal static class TissueDetector
{
    /// <summary>Resolution of the mask: coarse enough to be cheap, fine enough for small fragments.</summary>
    public const double MaskMicronsPerPixel = 8.0;

    /// <summary>Largest mask side; a huge slide gets a coarser mask rather than a huge read.</summary>
    public const int MaxMaskSide = 4096;

    /// <summary>Saturation (0..255) below which nothing is tissue, and above which everything is.</summary>
    public const int MinThreshold = 15;
    public const int MaxThreshold = 60;

    public static TissueMask Detect(ITileSource source, SlideGeometry geometry)
    {
        var (width, height) = source.Dimensions;
        var perCell = source.MicronsPerPixel is { } mpp and > 0 ? MaskMicronsPerPixel / mpp : 16.0;
        // Never finer than the overlay: the mask only needs to decide per tile.
        perCell = Math.Max(perCell, geometry.Downsample);
        perCell = Math.Max(perCell, Math.Max(width, height) / (double)MaxMaskSide);
        var maxWidth = (int)Math.Max(1, Math.Ceiling(width / perCell));
        var maxHeight = (int)Math.Max(1, Math.Ceiling(height / perCell));
        var picture = source.ReadThumbnail(maxWidth, maxHeight);
        return FromImage(picture, (double)width / picture.Width, (double)height / picture.Height);
    }

    public static TissueMask FromImage(Bgra32Image picture, double scaleX, double scaleY)
    {
        int w = picture.Width, h = picture.Height;
        var saturation = new byte[w * h];
        var histogram = new int[256];
        var pixels = picture.Pixels;
        for (var i = 0; i < saturation.Length; i++)
        {
            int b = pixels[i * 4], g = pixels[(i * 4) + 1], r = pixels[(i * 4) + 2];
            int max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b));
            var s = max == 0 ? 0 : (255 * (max - min)) / max;
            saturation[i] = (byte)s;
            histogram[s]++;
        }

        var threshold = Math.Clamp(Otsu(histogram, saturation.Length), MinThreshold, MaxThreshold);
        var tissue = new bool[w * h];
        for (var i = 0; i < tissue.Length; i++) tissue[i] = saturation[i] > threshold;
        tissue = Dilate(Erode(tissue, w, h), w, h); // opening: specks go
        tissue = Dilate(Dilate(tissue, w, h), w, h); // margin of two cells
        return new TissueMask(tissue, w, h, scaleX, scaleY);
    }

    /// <summary>The threshold that maximises the between-class variance of the histogram.</summary>
    internal static int Otsu(int[] histogram, int total)
    {
        double sum = 0;
        for (var i = 0; i < histogram.Length; i++) sum += i * (double)histogram[i];
        double sumBelow = 0, best = -1;
        int below = 0, threshold = 0;
        for (var t = 0; t < histogram.Length; t++)
        {
            below += histogram[t];
            if (below == 0) continue;
            var above = total - below;
            if (above == 0) break;
            sumBelow += t * (double)histogram[t];
            var meanBelow = sumBelow / below;
            var meanAbove = (sum - sumBelow) / above;
            var between = (double)below * above * (meanBelow - meanAbove) * (meanBelow - meanAbove);
            if (between > best)
            {
                best = between;
                threshold = t;
            }
        }

        return threshold;
    }

    private static bool[] Erode(bool[] mask, int w, int h) => Morph(mask, w, h, erode: true);

    private static bool[] Dilate(bool[] mask, int w, int h) => Morph(mask, w, h, erode: false);

    /// <summary>3x3 erosion or dilation; outside the picture counts as background for dilation and tissue for erosion.</summary>
    private static bool[] Morph(bool[] mask, int w, int h, bool erode)
    {
        var result = new bool[mask.Length];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var value = erode;
                for (var dy = -1; dy <= 1 && value == erode; dy++)
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        int nx = x + dx, ny = y + dy;
                        if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
                        if (mask[(ny * w) + nx] != erode)
                        {
                            value = !erode;
                            break;
                        }
                    }

                result[(y * w) + x] = value;
            }

        return result;
    }
}
