using Halflife.Evaluation;

namespace Halflife.Denoise.Tests;

/// <summary>Binomial thinning: kept counts have mean p n and variance p (1 - p) n, and runs are reproducible.</summary>
public sealed class CountThinningTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.25)]
    public void Thinned_counts_have_the_binomial_mean_and_variance(double p)
    {
        const int n = 40, pixels = 200_000;
        var counts = Enumerable.Repeat((float)n, pixels).ToArray();
        var thinned = CountThinning.Thin(counts, p, new Random(11));
        var mean = thinned.Average(v => (double)v);
        var variance = thinned.Average(v => (v - mean) * (v - mean));
        // Standard errors at 200 000 pixels: mean about 0.006, variance about 0.02 (for these n, p); allow ~5 of them.
        Assert.InRange(mean, p * n - 0.03, p * n + 0.03);
        Assert.InRange(variance, p * (1 - p) * n * 0.97, p * (1 - p) * n * 1.03);
        Assert.All(thinned, v => Assert.InRange(v, 0, n));
    }

    [Fact]
    public void Thinning_a_poisson_image_keeps_it_poisson_with_p_times_the_mean()
    {
        // Poisson(lambda) thinned by p is Poisson(p lambda): mean and variance both p lambda.
        var random = new Random(5);
        const double lambda = 12, p = 0.25;
        var counts = Enumerable.Range(0, 200_000).Select(_ => (float)Poisson(random, lambda)).ToArray();
        var thinned = CountThinning.Thin(counts, p, new Random(6));
        var mean = thinned.Average(v => (double)v);
        var variance = thinned.Average(v => (v - mean) * (v - mean));
        Assert.InRange(mean, p * lambda * 0.99, p * lambda * 1.01);
        Assert.InRange(variance, p * lambda * 0.97, p * lambda * 1.03);
    }

    [Fact]
    public void Same_seed_same_result_and_edge_probabilities()
    {
        float[] counts = [0, 1, 5, 17, 3];
        Assert.Equal(CountThinning.Thin(counts, 0.5, new Random(1)), CountThinning.Thin(counts, 0.5, new Random(1)));
        Assert.Equal(counts, CountThinning.Thin(counts, 1, new Random(1)));
        Assert.All(CountThinning.Thin(counts, 0, new Random(1)), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Bad_input_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CountThinning.Thin([1f], 1.5, new Random(1)));
        Assert.Throws<ArgumentException>(() => CountThinning.Thin([-1f], 0.5, new Random(1)));
        Assert.Throws<ArgumentException>(() => CountThinning.Thin([1.5f], 0.5, new Random(1)));
        Assert.Throws<ArgumentException>(() => CountThinning.Thin([float.NaN], 0.5, new Random(1)));
    }

    internal static int Poisson(Random random, double mean)
    {
        var limit = Math.Exp(-mean);
        var k = 0;
        for (var p = random.NextDouble(); p > limit; p *= random.NextDouble()) k++;
        return k;
    }
}
