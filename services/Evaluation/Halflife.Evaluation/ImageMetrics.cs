namespace Halflife.Evaluation;

/// <summary>A lesion of a test view: centre (row, column) and radius in pixels, in that view's coordinates.</summary>
public sealed record Lesion(double Row, double Column, double Radius);

/// <summary>One lesion's contrast recovery, and whether the input could show it (Rose's criterion; null: unknown).</summary>
public sealed record LesionRecovery(double Recovery, bool? Visible);

/// <summary>
/// Image quality against a reference, with the definitions of training/restore/metrics.py (docs/restoration.md),
/// so that the C# and Python tables can be compared: PSNR and SSIM with the 99th percentile of the reference as the
/// peak (the bladder's maximum would otherwise set the scale for the skeleton), SSIM after Wang et al. 2004 as
/// skimage computes it (Gaussian window sigma 1.5 truncated at 3.5, K1 0.01, K2 0.03, population covariance, a
/// 5-pixel border left out), and lesion contrast recovery.
/// </summary>
public static class ImageMetrics
{
    public static double Peak(ReadOnlySpan<float> reference) => Percentile(reference, 99.0);

    /// <summary>numpy.percentile with linear interpolation.</summary>
    public static double Percentile(ReadOnlySpan<float> values, double percent)
    {
        if (values.IsEmpty) throw new ArgumentException("No values.", nameof(values));
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var position = percent / 100.0 * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (sorted[high] - (double)sorted[low]) * (position - low);
    }

    public static double Psnr(ReadOnlySpan<float> reference, ReadOnlySpan<float> image)
    {
        SameLength(reference, image);
        var sum = 0.0;
        for (var i = 0; i < reference.Length; i++)
        {
            var d = (double)reference[i] - image[i];
            sum += d * d;
        }
        var mse = sum / reference.Length;
        var peak = Peak(reference);
        return mse == 0 ? double.PositiveInfinity : 10.0 * Math.Log10(peak * peak / mse);
    }

    public static double Ssim(ReadOnlySpan<float> reference, ReadOnlySpan<float> image, int width, int height)
    {
        SameLength(reference, image);
        const double sigma = 1.5, truncate = 3.5, k1 = 0.01, k2 = 0.03;
        var radius = (int)(truncate * sigma + 0.5);
        if (width < 2 * radius + 1 || height < 2 * radius + 1)
            throw new ArgumentException($"SSIM needs at least {2 * radius + 1}x{2 * radius + 1} pixels, not {width}x{height}.");
        var n = reference.Length;
        double[] x = new double[n], y = new double[n], xx = new double[n], yy = new double[n], xy = new double[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = reference[i];
            y[i] = image[i];
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }
        var ux = GaussianFilter.Apply(x, width, height, sigma, truncate);
        var uy = GaussianFilter.Apply(y, width, height, sigma, truncate);
        var uxx = GaussianFilter.Apply(xx, width, height, sigma, truncate);
        var uyy = GaussianFilter.Apply(yy, width, height, sigma, truncate);
        var uxy = GaussianFilter.Apply(xy, width, height, sigma, truncate);
        var range = Peak(reference);
        double c1 = k1 * range * k1 * range, c2 = k2 * range * k2 * range;
        var total = 0.0;
        var count = 0;
        for (var row = radius; row < height - radius; row++)
            for (var col = radius; col < width - radius; col++)
            {
                var i = row * width + col;
                double vx = uxx[i] - ux[i] * ux[i], vy = uyy[i] - uy[i] * uy[i], vxy = uxy[i] - ux[i] * uy[i];
                total += (2 * ux[i] * uy[i] + c1) * (2 * vxy + c2) / ((ux[i] * ux[i] + uy[i] * uy[i] + c1) * (vx + vy + c2));
                count++;
            }
        return total / count;
    }

    /// <summary>
    /// (mean in the lesion core - mean in a ring) / mean in the ring; core within 0.8 radius (at least 1.5 px), ring from
    /// radius + 2 to radius + 6 px. NaN when the ring has no positive mean.
    /// </summary>
    public static double LesionContrast(ReadOnlySpan<float> image, int width, int height, Lesion lesion)
    {
        var (core, _, ring) = CoreAndRing(image, width, height, lesion);
        return ring is > 0 && double.IsFinite(core) ? (core - ring) / ring : double.NaN;
    }

    /// <summary>
    /// Rose's criterion (Rose 1948): a uniform object is seen reliably in Poisson noise when its contrast-to-noise ratio
    /// is at least about 5.
    /// </summary>
    public const double RoseThreshold = 5.0;

    /// <summary>
    /// Contrast-to-noise ratio of a lesion in an image of expected (noise-free) counts: the core's excess counts over
    /// the ring's level, divided by the Poisson noise of the core's counts, (core - ring) sqrt(n_core) / sqrt(ring).
    /// How clearly the acquisition can show the lesion at all, whatever is done to it afterwards. NaN without a ring.
    /// </summary>
    public static double LesionCnr(ReadOnlySpan<float> expectedCounts, int width, int height, Lesion lesion)
    {
        var (core, coreCount, ring) = CoreAndRing(expectedCounts, width, height, lesion);
        return ring is > 0 && double.IsFinite(core) ? (core - ring) * Math.Sqrt(coreCount) / Math.Sqrt(ring) : double.NaN;
    }

    private static (double CoreMean, int CoreCount, double RingMean) CoreAndRing(ReadOnlySpan<float> image, int width, int height, Lesion lesion)
    {
        var core = Math.Max(0.8 * lesion.Radius, 1.5);
        double inner = lesion.Radius + 2.0, outer = lesion.Radius + 6.0;
        double coreSum = 0, ringSum = 0;
        int coreCount = 0, ringCount = 0;
        var r0 = Math.Max(0, (int)Math.Floor(lesion.Row - outer - 1));
        var r1 = Math.Min(height - 1, (int)Math.Ceiling(lesion.Row + outer + 1));
        var c0 = Math.Max(0, (int)Math.Floor(lesion.Column - outer - 1));
        var c1 = Math.Min(width - 1, (int)Math.Ceiling(lesion.Column + outer + 1));
        for (var r = r0; r <= r1; r++)
            for (var c = c0; c <= c1; c++)
            {
                var d = Math.Sqrt((r - lesion.Row) * (r - lesion.Row) + (c - lesion.Column) * (c - lesion.Column));
                var v = image[r * width + c];
                if (d <= core) { coreSum += v; coreCount++; }
                if (d >= inner && d <= outer) { ringSum += v; ringCount++; }
            }
        if (coreCount == 0 || ringCount == 0) return (double.NaN, coreCount, double.NaN);
        return (coreSum / coreCount, coreCount, ringSum / ringCount);
    }

    /// <summary>Per lesion whose reference contrast is at least <paramref name="minReferenceContrast"/> in absolute value: C(image) / C(reference).</summary>
    public static List<double> ContrastRecovery(ReadOnlySpan<float> reference, ReadOnlySpan<float> image, int width, int height,
        IEnumerable<Lesion> lesions, double minReferenceContrast = 0.1) =>
        LesionRecoveries(reference, image, width, height, lesions, null, minReferenceContrast).Select(r => r.Recovery).ToList();

    /// <summary>
    /// As <see cref="ContrastRecovery"/>, and for each lesion whether the input could show it
    /// (<see cref="LesionCnr"/> in <paramref name="expectedInput"/>, the input's expected counts, at least
    /// <see cref="RoseThreshold"/>); null when the expected counts are not known.
    /// </summary>
    public static List<LesionRecovery> LesionRecoveries(ReadOnlySpan<float> reference, ReadOnlySpan<float> image, int width, int height,
        IEnumerable<Lesion> lesions, float[]? expectedInput, double minReferenceContrast = 0.1)
    {
        var recoveries = new List<LesionRecovery>();
        foreach (var lesion in lesions)
        {
            var cRef = LesionContrast(reference, width, height, lesion);
            if (!double.IsFinite(cRef) || Math.Abs(cRef) < minReferenceContrast) continue;
            bool? visible = expectedInput is null ? null : Math.Abs(LesionCnr(expectedInput, width, height, lesion)) >= RoseThreshold;
            recoveries.Add(new LesionRecovery(LesionContrast(image, width, height, lesion) / cRef, visible));
        }
        return recoveries;
    }

    private static void SameLength(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length || a.IsEmpty) throw new ArgumentException($"Images of {a.Length} and {b.Length} pixels cannot be compared.");
    }
}
