using Halflife.Denoise.Filtering;

namespace Halflife.Evaluation;

/// <summary>The compared methods, each returning its image divided by the input's mean count (as the model does).</summary>
public static class Methods
{
    public static float[] Normalised(ReadOnlySpan<float> counts)
    {
        var mean = 0.0;
        foreach (var c in counts) mean += c;
        mean /= counts.Length;
        if (!(mean > 0)) throw new ArgumentException("The view has no counts.");
        var result = new float[counts.Length];
        for (var i = 0; i < counts.Length; i++) result[i] = (float)(counts[i] / mean);
        return result;
    }

    public static Method Raw() => new("raw", v => Normalised(v.Counts));

    public static Method Gaussian(double sigma) => new("gaussian", v => GaussianFilter.Apply(Normalised(v.Counts), v.Width, v.Height, sigma));

    public static Method Denoise(NonLocalMeansParameters parameters, int threads) => new("denoise",
        v => Scale(PoissonDenoiser.Denoise(v.Counts, v.Width, v.Height, parameters, threads), v.Counts));

    /// <summary>A restoration model; <paramref name="label"/> says which one in the table (e.g. "restore: count model").</summary>
    public static Method Restore(RestorationNetwork network, string label = "restore") =>
        new(label, v => network.Run(Normalised(v.Counts), v.Width, v.Height));

    public const string FullCountName = "full-count 4 h";

    /// <summary>
    /// Count completion of any method for a scan thinned to <paramref name="fraction"/> of a full-count one: the counts
    /// it recorded plus the method's estimate of the counts it did not, p x + (1 - p) estimate(x) in input-mean units.
    /// Thinned counts are a subset of the full scan's, so against a full-count (noisy) reference this is the
    /// minimum-error prediction, E[full | thinned] = thinned + (1 - p) lambda; a method's output alone estimates
    /// lambda, the noise-free scan, which is what a noise-free reference rewards. Every method gets the same
    /// completion so that the comparison stays one of estimates of lambda. Needs p, so only for thinned data.
    /// </summary>
    public static Method CountCompletion(Method inner, double fraction)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!(fraction is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), "The kept fraction must be in (0, 1].");
        return new(inner.Name + ", count completion", v =>
        {
            var x = Normalised(v.Counts);
            var estimate = inner.Run(v);
            for (var i = 0; i < x.Length; i++) estimate[i] = (float)(fraction * x[i] + (1 - fraction) * estimate[i]);
            return estimate;
        });
    }

    /// <summary>A full-count acquisition of the reference time point, where the data set has one (simulations).</summary>
    public static Method FullCount() => new(FullCountName, v => v.FullCount is { } full ? Normalised(full) : throw new InvalidOperationException($"{v.Name} has no full-count scan."));

    /// <summary>Output divided by the input's mean count (not the output's own mean), as in training/restore/evaluate.py.</summary>
    private static float[] Scale(float[] output, ReadOnlySpan<float> counts)
    {
        var mean = 0.0;
        foreach (var c in counts) mean += c;
        mean /= counts.Length;
        for (var i = 0; i < output.Length; i++) output[i] = (float)(output[i] / mean);
        return output;
    }
}
