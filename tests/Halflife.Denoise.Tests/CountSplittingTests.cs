using Halflife.Evaluation;

namespace Halflife.Denoise.Tests;

/// <summary>
/// Scoring against the held-out counts of a thinned scan ranks estimates as the noise-free truth does: the MSE gap
/// between two estimates is the same (up to sampling error) against the held-out counts as against the truth, while
/// the full-count scan, which shares the input's noise, distorts it.
/// </summary>
public sealed class CountSplittingTests
{
    private const int Width = 256, Height = 256;

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.25)]
    public void Held_out_counts_preserve_the_error_gap_between_methods_that_the_truth_shows(double p)
    {
        var random = new Random(3);
        var lambda = Phantom();
        var full = lambda.Select(l => (float)CountThinningTests.Poisson(random, l)).ToArray();
        var kept = CountThinning.Thin(full, p, new Random(4));
        var view = new EvaluationView("phantom", Width, Height, kept, Methods.Normalised(lambda), [], full);
        var truth = Methods.Normalised(lambda);
        var raw = Methods.Normalised(kept);
        var blurred = GaussianFilter.Apply(raw, Width, Height, 1.5);

        var split = CountSplitting.AgainstHeldOutCounts(view);
        var fullReference = Methods.Normalised(full);

        // Two imperfect estimates of lambda: the raw input (all noise) and a blurred one (noise and blur).
        var gapTruth = Mse(raw, truth) - Mse(blurred, truth);
        var gapHeldOut = Mse(raw, split.Reference) - Mse(blurred, split.Reference);
        var gapFull = Mse(raw, fullReference) - Mse(blurred, fullReference);
        Assert.True(gapTruth > 0, "blurring helps against the truth");
        Assert.InRange(gapHeldOut / gapTruth, 0.9, 1.1);
        // Against the full-count scan the raw input is marked up by the noise it shares with the reference.
        Assert.True(gapFull / gapTruth < 0.8, $"full-count reference gap ratio {gapFull / gapTruth:0.00}");
        Assert.Empty(split.Lesions);
        Assert.Null(split.FullCount);
    }

    [Fact]
    public void The_held_out_reference_is_the_left_out_counts_divided_by_their_mean()
    {
        float[] full = [4, 0, 10, 6];
        float[] kept = [1, 0, 5, 6];
        var split = CountSplitting.AgainstHeldOutCounts(new EvaluationView("v", 2, 2, kept, new float[4], [new Lesion(0, 0, 1)], full));
        Assert.Equal([3 / 2.0f, 0, 5 / 2.0f, 0], split.Reference);
        Assert.Equal(kept, split.Counts);
    }

    [Fact]
    public void A_view_that_is_not_a_thinning_is_refused_with_the_reason()
    {
        var notThinned = new EvaluationView("v", 2, 1, [3, 1], new float[2], [], [2, 1]);
        Assert.Contains("not a thinning", Assert.Throws<InvalidDataException>(() => CountSplitting.AgainstHeldOutCounts(notThinned)).Message);
        var noFull = new EvaluationView("v", 2, 1, [1, 1], new float[2], []);
        Assert.Contains("no full-count scan", Assert.Throws<InvalidDataException>(() => CountSplitting.AgainstHeldOutCounts(noFull)).Message);
    }

    /// <summary>A smooth body with a hot spot, about 12 counts per pixel.</summary>
    private static float[] Phantom()
    {
        var lambda = new float[Width * Height];
        for (var y = 0; y < Height; y++)
            for (var x = 0; x < Width; x++)
            {
                double dx = (x - 128) / 90.0, dy = (y - 128) / 110.0;
                var body = dx * dx + dy * dy < 1 ? 14.0 : 2.0;
                var spot = 40 * Math.Exp(-(((x - 100) * (x - 100)) + ((y - 90) * (y - 90))) / 18.0);
                lambda[(y * Width) + x] = (float)(body + spot);
            }
        return lambda;
    }

    private static double Mse(float[] a, float[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++) sum += (a[i] - b[i]) * (double)(a[i] - b[i]);
        return sum / a.Length;
    }
}
