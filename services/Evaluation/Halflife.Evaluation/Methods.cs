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

    public static Method Restore(RestorationNetwork network) => new("restore", v => network.Run(Normalised(v.Counts), v.Width, v.Height));

    /// <summary>A full-count acquisition of the reference time point, where the data set has one (simulations).</summary>
    public static Method FullCount() => new("full-count 4 h", v => v.FullCount is { } full ? Normalised(full) : throw new InvalidOperationException($"{v.Name} has no full-count scan."));

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
