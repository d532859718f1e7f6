namespace Halflife.Denoise.Filtering;

/// <summary>
/// Poisson-aware denoising of a count image: Anscombe transform (noise sigma about 1), non-local means with sigma 1,
/// closed-form unbiased inverse. The output is in counts, with the input's count level kept up to the small bias
/// that any smoothing of a curved (square-root) domain leaves.
/// </summary>
public static class PoissonDenoiser
{
    /// <summary>Method name recorded on derived objects and in ImageDenoised.</summary>
    public const string Method = "anscombe-nlm";
    public const string Version = "1";

    /// <summary>The tuned defaults (docs/denoise.md): 7x7 patches, 13x13 search window, h 0.6.</summary>
    public static NonLocalMeansParameters DefaultParameters { get; } = new(PatchRadius: 3, SearchRadius: 6, H: 0.6f);

    public static float[] Denoise(ReadOnlySpan<float> counts, int width, int height, NonLocalMeansParameters parameters, int maxDegreeOfParallelism = 1)
    {
        var stabilised = new float[counts.Length];
        Anscombe.Forward(counts, stabilised);
        var filtered = NonLocalMeans.Filter(stabilised, width, height, parameters with { Sigma = 1f }, maxDegreeOfParallelism);
        Anscombe.Inverse(filtered, filtered);
        return filtered;
    }
}
