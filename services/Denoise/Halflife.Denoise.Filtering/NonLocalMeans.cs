using System.Numerics.Tensors;

namespace Halflife.Denoise.Filtering;

/// <summary>
/// Non-local means (Buades, Coll and Morel 2005) in the per-offset formulation of Darbon et al. (2008): for each
/// offset of the search window, the squared difference between the image and its shifted copy is box-filtered once,
/// which gives the patch distance of every pixel to its candidate at that offset. The cost is
/// O(pixels x search window) independent of the patch size, and each step is a vectorised row operation.
/// The image is cut into bands of rows that are filtered independently (in parallel when allowed); each pixel sums
/// its offsets in a fixed order, so the result does not depend on the number of threads. Memory: the padded image
/// plus a few band-sized buffers per thread.
/// </summary>
public static class NonLocalMeans
{
    /// <summary>Rows per band: big enough to amortise the band's halo, small enough to share work among threads.</summary>
    private const int BandRows = 64;

    public static float[] Filter(ReadOnlySpan<float> image, int width, int height, NonLocalMeansParameters parameters, int maxDegreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        if (width <= 0 || height <= 0 || (long)width * height != image.Length)
            throw new ArgumentException($"{image.Length} values do not make a {width}x{height} image.", nameof(image));
        for (var i = 0; i < image.Length; i++)
            if (!float.IsFinite(image[i])) throw new ArgumentException($"pixel {i} is not a finite number.", nameof(image));

        var pad = parameters.PatchRadius + parameters.SearchRadius;
        var padded = Padded(image, width, height, pad);
        var output = new float[image.Length];
        var bands = (height + BandRows - 1) / BandRows;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxDegreeOfParallelism) };
        Parallel.For(0, bands, options, () => new BandBuffers(width, parameters.PatchRadius),
            (band, _, buffers) =>
            {
                var y0 = band * BandRows;
                FilterBand(padded, width, pad, y0, Math.Min(height, y0 + BandRows), parameters, buffers, output);
                return buffers;
            },
            _ => { });
        return output;
    }

    private sealed class BandBuffers(int width, int patchRadius)
    {
        public readonly float[] Difference = new float[width + 2 * patchRadius];
        public readonly float[] Horizontal = new float[(BandRows + 2 * patchRadius) * width];
        public readonly float[] Weight = new float[width];
        public readonly float[] Sum = new float[BandRows * width];
        public readonly float[] WeightSum = new float[BandRows * width];
    }

    private static void FilterBand(float[] padded, int width, int pad, int y0, int y1, NonLocalMeansParameters p, BandBuffers b, float[] output)
    {
        int r = p.PatchRadius, s = p.SearchRadius, rows = y1 - y0, stride = width + 2 * pad, patch = 2 * r + 1;
        // weight = exp(-max(sum/(patch^2) - 2 sigma^2, 0) / h^2) = exp(-max(sum * a - c, 0))
        var a = 1f / (patch * patch * p.H * p.H);
        var c = 2f * p.Sigma * p.Sigma / (p.H * p.H);
        var sum = b.Sum.AsSpan(0, rows * width);
        var weightSum = b.WeightSum.AsSpan(0, rows * width);
        sum.Clear();
        weightSum.Clear();

        for (var dy = -s; dy <= s; dy++)
            for (var dx = -s; dx <= s; dx++)
            {
                // Horizontal box sums of the squared difference, for the band's rows and the patch halo above and below.
                for (var row = 0; row < rows + 2 * r; row++)
                {
                    var y = y0 - r + row + pad;
                    var here = padded.AsSpan(y * stride + pad - r, width + 2 * r);
                    var there = padded.AsSpan((y + dy) * stride + pad - r + dx, width + 2 * r);
                    var difference = b.Difference.AsSpan();
                    TensorPrimitives.Subtract(here, there, difference);
                    TensorPrimitives.Multiply(difference, difference, difference);
                    var horizontal = b.Horizontal.AsSpan(row * width, width);
                    difference.Slice(0, width).CopyTo(horizontal);
                    for (var k = 1; k < patch; k++) TensorPrimitives.Add(horizontal, difference.Slice(k, width), horizontal);
                }
                for (var row = 0; row < rows; row++)
                {
                    var weight = b.Weight.AsSpan();
                    b.Horizontal.AsSpan(row * width, width).CopyTo(weight);
                    for (var k = 1; k < patch; k++) TensorPrimitives.Add(weight, b.Horizontal.AsSpan((row + k) * width, width), weight);
                    TensorPrimitives.Multiply(weight, a, weight);
                    TensorPrimitives.Add(weight, -c, weight);
                    TensorPrimitives.Max(weight, 0f, weight);
                    TensorPrimitives.Negate(weight, weight);
                    TensorPrimitives.Exp(weight, weight);
                    var candidate = padded.AsSpan((y0 + row + pad + dy) * stride + pad + dx, width);
                    var rowSum = sum.Slice(row * width, width);
                    TensorPrimitives.MultiplyAdd(weight, candidate, rowSum, rowSum);
                    var rowWeight = weightSum.Slice(row * width, width);
                    TensorPrimitives.Add(rowWeight, weight, rowWeight);
                }
            }
        // The zero offset always has weight 1, so the sum of weights is never zero.
        TensorPrimitives.Divide(sum, weightSum, output.AsSpan(y0 * width, rows * width));
    }

    /// <summary>The image with a mirrored border (reflection without repeating the edge, as numpy's "reflect").</summary>
    private static float[] Padded(ReadOnlySpan<float> image, int width, int height, int pad)
    {
        int paddedWidth = width + 2 * pad, paddedHeight = height + 2 * pad;
        var padded = new float[checked((long)paddedWidth * paddedHeight)];
        for (var y = 0; y < paddedHeight; y++)
        {
            var sy = Mirror(y - pad, height);
            for (var x = 0; x < paddedWidth; x++)
                padded[y * paddedWidth + x] = image[sy * width + Mirror(x - pad, width)];
        }
        return padded;
    }

    private static int Mirror(int i, int n)
    {
        if (n == 1) return 0;
        var period = 2 * (n - 1);
        i %= period;
        if (i < 0) i += period;
        return i < n ? i : period - i;
    }
}
