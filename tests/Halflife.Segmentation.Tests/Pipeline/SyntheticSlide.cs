using Halflife.Imaging;
using Halflife.Segmentation.Pipeline;

namespace Halflife.Segmentation.Tests.Pipeline;

/// <summary>
/// A slide painted by a function of level-0 position (point-sampled at pixel centres), so every test knows exactly
/// what each tile shows.
/// </summary>
internal sealed class SyntheticSlide(long width, long height, double? micronsPerPixel, Func<double, double, (byte R, byte G, byte B)> paint) : ITileSource
{
    public static readonly (byte R, byte G, byte B) White = (255, 255, 255);
    public static readonly (byte R, byte G, byte B) Hematoxylin = (80, 60, 200);
    public static readonly (byte R, byte G, byte B) Eosin = (230, 120, 160);

    private int tilesRead;

    public (long Width, long Height) Dimensions => (width, height);

    public double? MicronsPerPixel => micronsPerPixel;

    public int TilesRead => tilesRead;

    public (byte R, byte G, byte B) ColourAt(double x, double y) =>
        x < 0 || y < 0 || x >= width || y >= height ? White : paint(x, y);

    public Bgra32Image ReadThumbnail(int maxWidth, int maxHeight)
    {
        var scale = Math.Max((double)width / maxWidth, (double)height / maxHeight);
        int w = Math.Max(1, (int)Math.Round(width / scale)), h = Math.Max(1, (int)Math.Round(height / scale));
        var pixels = new byte[w * h * 4];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
                Put(pixels, (y * w) + x, ColourAt((x + 0.5) * width / w, (y + 0.5) * height / h));
        return new Bgra32Image(w, h, pixels);
    }

    public void ReadTile(long x, long y, int size, double downsample, byte[] bgra)
    {
        Interlocked.Increment(ref tilesRead);
        for (var j = 0; j < size; j++)
            for (var i = 0; i < size; i++)
                Put(bgra, (j * size) + i, ColourAt((x + i + 0.5) * downsample, (y + j + 0.5) * downsample));
    }

    private static void Put(byte[] bgra, int pixel, (byte R, byte G, byte B) colour)
    {
        bgra[pixel * 4] = colour.B;
        bgra[(pixel * 4) + 1] = colour.G;
        bgra[(pixel * 4) + 2] = colour.R;
        bgra[(pixel * 4) + 3] = 255;
    }
}
