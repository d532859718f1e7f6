namespace Halflife.Denoise.Filtering;

/// <summary>
/// The Anscombe variance-stabilising transform for Poisson counts and its closed-form unbiased inverse
/// (Makitalo and Foi, IEEE TIP 20(1), 2011). After the forward transform, Poisson noise of any mean is close to
/// Gaussian noise of sigma 1, which is what a Gaussian-noise denoiser expects. The algebraic inverse (a/2)^2 - 3/8
/// is biased at low counts (a few counts per pixel, exactly the regime of a fast bone scan); the unbiased inverse
/// is not.
/// </summary>
public static class Anscombe
{
    private static readonly double Sqrt15 = Math.Sqrt(1.5);

    public static float Forward(float count) => (float)(2.0 * Math.Sqrt(Math.Max(count, 0f) + 0.375));

    /// <summary>Closed-form approximation of the exact unbiased inverse; values below 1 (no counts) map to 0.</summary>
    public static float Inverse(float value)
    {
        double a = Math.Max(value, 1f);
        var inverse = 0.25 * a * a + 0.25 * Sqrt15 / a - 1.375 / (a * a) + 0.625 * Sqrt15 / (a * a * a) - 0.125;
        return (float)Math.Max(inverse, 0.0);
    }

    public static void Forward(ReadOnlySpan<float> counts, Span<float> stabilised)
    {
        if (stabilised.Length != counts.Length) throw new ArgumentException("Input and output lengths differ.", nameof(stabilised));
        for (var i = 0; i < counts.Length; i++) stabilised[i] = Forward(counts[i]);
    }

    public static void Inverse(ReadOnlySpan<float> stabilised, Span<float> counts)
    {
        if (stabilised.Length != counts.Length) throw new ArgumentException("Input and output lengths differ.", nameof(counts));
        for (var i = 0; i < counts.Length; i++) counts[i] = Inverse(stabilised[i]);
    }
}
