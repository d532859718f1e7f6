namespace Halflife.Evaluation;

/// <summary>
/// Separable Gaussian filter with the conventions of scipy.ndimage.gaussian_filter: kernel radius
/// int(truncate * sigma + 0.5), weights exp(-x^2 / (2 sigma^2)) normalised to sum 1, and "reflect" borders
/// (half-sample symmetric: d c b a | a b c d). SSIM uses it with truncate 3.5 (an 11-tap window at sigma 1.5), the
/// Gaussian baseline with scipy's default 4.0.
/// </summary>
public static class GaussianFilter
{
    public static double[] Apply(ReadOnlySpan<double> image, int width, int height, double sigma, double truncate = 4.0)
    {
        if ((long)width * height != image.Length) throw new ArgumentException($"{image.Length} values are not {width}x{height}.");
        if (!(sigma >= 0) || !double.IsFinite(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be >= 0");
        var result = image.ToArray();
        if (sigma == 0) return result;
        var kernel = Kernel(sigma, truncate);
        var radius = kernel.Length / 2;
        var line = new double[Math.Max(width, height) + 2 * radius];
        // Rows, then columns (the order does not change the result beyond rounding).
        for (var y = 0; y < height; y++)
        {
            for (var x = -radius; x < width + radius; x++) line[x + radius] = result[y * width + Reflect(x, width)];
            for (var x = 0; x < width; x++) result[y * width + x] = Dot(line, x, kernel);
        }
        for (var x = 0; x < width; x++)
        {
            for (var y = -radius; y < height + radius; y++) line[y + radius] = result[Reflect(y, height) * width + x];
            for (var y = 0; y < height; y++) result[y * width + x] = Dot(line, y, kernel);
        }
        return result;
    }

    public static float[] Apply(ReadOnlySpan<float> image, int width, int height, double sigma, double truncate = 4.0)
    {
        var wide = new double[image.Length];
        for (var i = 0; i < image.Length; i++) wide[i] = image[i];
        return Array.ConvertAll(Apply(wide, width, height, sigma, truncate), v => (float)v);
    }

    private static double Dot(double[] line, int start, double[] kernel)
    {
        var sum = 0.0;
        for (var k = 0; k < kernel.Length; k++) sum += line[start + k] * kernel[k];
        return sum;
    }

    private static double[] Kernel(double sigma, double truncate)
    {
        var radius = (int)(truncate * sigma + 0.5);
        var kernel = new double[2 * radius + 1];
        var sum = 0.0;
        for (var i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.Exp(-0.5 * i * i / (sigma * sigma));
        for (var i = 0; i < kernel.Length; i++) kernel[i] /= sum;
        return kernel;
    }

    /// <summary>scipy's "reflect": the edge sample is repeated (half-sample symmetric), periodic for wide kernels.</summary>
    internal static int Reflect(int i, int n)
    {
        var period = 2 * n;
        i %= period;
        if (i < 0) i += period;
        return i < n ? i : period - 1 - i;
    }
}
