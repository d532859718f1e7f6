using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Halflife.Imaging.Tiles;

/// <summary>
/// Downscales packed 4-channel 8-bit pixels the way Pillow's Image.thumbnail(size, LANCZOS) does
/// (which openslide-python's DeepZoomGenerator uses): an integer box-average pre-reduction while the
/// scale is at least twice the reducing gap, then a separable Lanczos-3 pass whose kernel widens
/// with the scale (so it also averages, not just samples). Coefficients are fixed point like Pillow's,
/// so our tiles match the reference server's within rounding.
/// </summary>
public static class LanczosResampler
{
    private const double ReducingGap = 2.0;
    private const double Support = 3.0;
    private const int PrecisionBits = 32 - 8 - 2;

    /// <summary>
    /// The size Pillow's thumbnail() picks: the largest size within <paramref name="maxWidth"/> x
    /// <paramref name="maxHeight"/> that keeps the aspect ratio; null when the image already fits (thumbnail never enlarges).
    /// </summary>
    public static (int Width, int Height)? ThumbnailSize(int width, int height, int maxWidth, int maxHeight)
    {
        if (maxWidth >= width && maxHeight >= height)
        {
            return null;
        }

        var aspect = (double)width / height;
        int x = maxWidth, y = maxHeight;
        if ((double)x / y >= aspect)
        {
            x = RoundAspect(y * aspect, n => Math.Abs(aspect - ((double)n / y)));
        }
        else
        {
            y = RoundAspect(x / aspect, n => n == 0 ? 0 : Math.Abs(aspect - ((double)x / n)));
        }

        return (x, y);
    }

    /// <summary>Pillow's thumbnail(): returns the input unchanged when it already fits.</summary>
    public static (byte[] Pixels, int Width, int Height) Thumbnail(byte[] pixels, int width, int height, int maxWidth, int maxHeight)
    {
        var size = ThumbnailSize(width, height, maxWidth, maxHeight);
        if (size is not { } target || (target.Width == width && target.Height == height))
        {
            return (pixels, width, height);
        }

        return (Resize(pixels, width, height, target.Width, target.Height), target.Width, target.Height);
    }

    /// <summary>Pillow's resize(size, LANCZOS, reducing_gap=2.0) of the whole image.</summary>
    public static byte[] Resize(byte[] pixels, int width, int height, int outWidth, int outHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outHeight);
        double boxWidth = width, boxHeight = height;
        var factorX = Math.Max(1, (int)(width / (double)outWidth / ReducingGap));
        var factorY = Math.Max(1, (int)(height / (double)outHeight / ReducingGap));
        if (factorX > 1 || factorY > 1)
        {
            (pixels, var reducedWidth, var reducedHeight) = BoxReduce(pixels, width, height, factorX, factorY);
            boxWidth = (double)width / factorX;
            boxHeight = (double)height / factorY;
            width = reducedWidth;
            height = reducedHeight;
        }

        return Resample(pixels, width, height, boxWidth, boxHeight, outWidth, outHeight);
    }

    /// <summary>
    /// Pillow's reduce(): each output pixel is the rounded mean of a factorX x factorY block;
    /// blocks cut by the right or bottom edge average only the pixels they have. The division uses
    /// Pillow's 24-bit fixed-point reciprocal (truncated), not an exact one: it rounds a few percent of
    /// values one level down, and darkens blocks of tens of thousands of pixels (the few-pixel top levels
    /// of single-level slides) by up to area / 2^24, but it keeps our tiles identical to the reference's.
    /// </summary>
    internal static (byte[] Pixels, int Width, int Height) BoxReduce(byte[] source, int width, int height, int factorX, int factorY)
    {
        var outWidth = (width + factorX - 1) / factorX;
        var outHeight = (height + factorY - 1) / factorY;
        var output = new byte[outWidth * outHeight * 4];
        var sums = new long[outWidth * 4]; // a whole-level read can sum 64M pixels of 255
        for (var oy = 0; oy < outHeight; oy++)
        {
            Array.Clear(sums);
            var y0 = oy * factorY;
            var rows = Math.Min(factorY, height - y0);
            for (var y = y0; y < y0 + rows; y++)
            {
                var row = source.AsSpan(y * width * 4, width * 4);
                for (var ox = 0; ox < outWidth; ox++)
                {
                    // Sum one block's row in ints (at most factorX * 255), then add to the long total.
                    int b = 0, g = 0, r = 0, a = 0;
                    var end = Math.Min(width, (ox + 1) * factorX) * 4;
                    for (var p = ox * factorX * 4; p < end; p += 4)
                    {
                        b += row[p];
                        g += row[p + 1];
                        r += row[p + 2];
                        a += row[p + 3];
                    }

                    sums[ox * 4] += b;
                    sums[(ox * 4) + 1] += g;
                    sums[(ox * 4) + 2] += r;
                    sums[(ox * 4) + 3] += a;
                }
            }

            var target = output.AsSpan(oy * outWidth * 4, outWidth * 4);
            for (var ox = 0; ox < outWidth; ox++)
            {
                var count = rows * Math.Min(factorX, width - (ox * factorX));
                var multiplier = (ulong)(4294967296.0f / (256.0f * count));
                for (var c = 0; c < 4; c++)
                {
                    var value = ((ulong)(sums[(ox * 4) + c] + (count / 2)) * multiplier) >> 24;
                    target[(ox * 4) + c] = (byte)Math.Min(255UL, value);
                }
            }
        }

        return (output, outWidth, outHeight);
    }

    private static byte[] Resample(byte[] source, int width, int height, double boxWidth, double boxHeight, int outWidth, int outHeight)
    {
        var needHorizontal = outWidth != width || boxWidth != outWidth;
        var needVertical = outHeight != height || boxHeight != outHeight;
        if (!needHorizontal && !needVertical)
        {
            return (byte[])source.Clone();
        }

        var horizontal = Coefficients.Compute(width, boxWidth, outWidth);
        var vertical = Coefficients.Compute(height, boxHeight, outHeight);

        if (needHorizontal)
        {
            // Only the source rows the vertical pass will touch need the horizontal pass.
            var firstRow = vertical.Bounds[0];
            var lastRow = vertical.Bounds[(outHeight - 1) * 2] + vertical.Bounds[((outHeight - 1) * 2) + 1];
            source = ResampleHorizontal(source, width, firstRow, lastRow - firstRow, outWidth, horizontal);
            height = lastRow - firstRow;
            width = outWidth;
            for (var i = 0; i < outHeight; i++)
            {
                vertical.Bounds[i * 2] -= firstRow;
            }
        }

        return needVertical ? ResampleVertical(source, width, outHeight, vertical) : source;
    }

    private static byte[] ResampleHorizontal(byte[] source, int width, int firstRow, int rows, int outWidth, Coefficients k)
    {
        var output = new byte[outWidth * rows * 4];
        var half = Vector128.Create(1 << (PrecisionBits - 1));
        for (var y = 0; y < rows; y++)
        {
            var row = source.AsSpan((firstRow + y) * width * 4, width * 4);
            var target = output.AsSpan(y * outWidth * 4, outWidth * 4);
            for (var ox = 0; ox < outWidth; ox++)
            {
                var xmin = k.Bounds[ox * 2];
                var taps = k.Bounds[(ox * 2) + 1];
                var weights = k.Weights.AsSpan(ox * k.Size, taps);
                var sum = half;
                for (var t = 0; t < taps; t++)
                {
                    // One pixel's four channels widened to int lanes: a multiply-add per tap instead of four.
                    sum += WidenPixel(row, (xmin + t) * 4) * weights[t];
                }

                StoreClamped(sum, target, ox * 4);
            }
        }

        return output;
    }

    private static byte[] ResampleVertical(byte[] source, int width, int outHeight, Coefficients k)
    {
        var stride = width * 4;
        var output = new byte[stride * outHeight];
        var half = Vector128.Create(1 << (PrecisionBits - 1));
        for (var oy = 0; oy < outHeight; oy++)
        {
            var ymin = k.Bounds[oy * 2];
            var taps = k.Bounds[(oy * 2) + 1];
            var weights = k.Weights.AsSpan(oy * k.Size, taps);
            var target = output.AsSpan(oy * stride, stride);
            for (var p = 0; p < stride; p += 4)
            {
                var sum = half;
                for (var t = 0; t < taps; t++)
                {
                    sum += WidenPixel(source, ((ymin + t) * stride) + p) * weights[t];
                }

                StoreClamped(sum, target, p);
            }
        }

        return output;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> WidenPixel(ReadOnlySpan<byte> pixels, int offset)
    {
        var packed = Unsafe.ReadUnaligned<uint>(ref Unsafe.AsRef(in pixels[offset]));
        return Vector128.WidenLower(Vector128.WidenLower(Vector128.CreateScalarUnsafe(packed).AsByte())).AsInt32();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreClamped(Vector128<int> sum, Span<byte> target, int offset)
    {
        var value = Vector128.Clamp(sum >> PrecisionBits, Vector128<int>.Zero, Vector128.Create(255));
        target[offset] = (byte)value.GetElement(0);
        target[offset + 1] = (byte)value.GetElement(1);
        target[offset + 2] = (byte)value.GetElement(2);
        target[offset + 3] = (byte)value.GetElement(3);
    }

    private static int RoundAspect(double number, Func<int, double> key)
    {
        var floor = (int)Math.Floor(number);
        var ceiling = (int)Math.Ceiling(number);
        var best = key(ceiling) < key(floor) ? ceiling : floor; // Python's min() keeps the first on ties.
        return Math.Max(best, 1);
    }

    /// <summary>Per-output-pixel Lanczos taps in Pillow's fixed point: first source index, tap count, weights.</summary>
    private sealed class Coefficients
    {
        private Coefficients(int size, int[] bounds, int[] weights)
        {
            Size = size;
            Bounds = bounds;
            Weights = weights;
        }

        public int Size { get; }

        public int[] Bounds { get; }

        public int[] Weights { get; }

        public static Coefficients Compute(int inSize, double boxEnd, int outSize)
        {
            var scale = boxEnd / outSize;
            var filterScale = Math.Max(scale, 1.0);
            var support = Support * filterScale;
            var size = ((int)Math.Ceiling(support) * 2) + 1;
            var bounds = new int[outSize * 2];
            var weights = new int[outSize * size];
            var raw = new double[size];
            for (var o = 0; o < outSize; o++)
            {
                var center = (o + 0.5) * scale;
                var min = Math.Max(0, (int)(center - support + 0.5));
                var count = Math.Min(inSize, (int)(center + support + 0.5)) - min;
                var total = 0.0;
                for (var t = 0; t < count; t++)
                {
                    raw[t] = Lanczos((t + min - center + 0.5) / filterScale);
                    total += raw[t];
                }

                for (var t = 0; t < count; t++)
                {
                    var w = total != 0.0 ? raw[t] / total : raw[t];
                    weights[(o * size) + t] = (int)(w < 0 ? -0.5 + (w * (1 << PrecisionBits)) : 0.5 + (w * (1 << PrecisionBits)));
                }

                bounds[o * 2] = min;
                bounds[(o * 2) + 1] = Math.Max(0, count);
            }

            return new Coefficients(size, bounds, weights);
        }

        private static double Lanczos(double x) => x is >= -Support and < Support ? Sinc(x) * Sinc(x / Support) : 0.0;

        private static double Sinc(double x) => x == 0.0 ? 1.0 : Math.Sin(x * Math.PI) / (x * Math.PI);
    }
}
