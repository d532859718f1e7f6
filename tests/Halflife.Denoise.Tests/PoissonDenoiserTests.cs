using Halflife.Denoise.Filtering;

namespace Halflife.Denoise.Tests;

/// <summary>Anscombe + non-local means on synthetic Poisson images whose truth is known.</summary>
public sealed class PoissonDenoiserTests
{
    private const int Width = 96, Height = 160;
    private const int SpotRow = 80, SpotColumn = 48;
    private const double SpotRadius = 3.0;

    /// <summary>A low-count "body": smooth background 4-8 counts with bright bands (bones) and a small hot lesion.</summary>
    private static float[] Truth()
    {
        var truth = new float[Width * Height];
        for (var r = 0; r < Height; r++)
            for (var c = 0; c < Width; c++)
            {
                double v = 4 + 4 * Math.Sin(r / 25.0) * Math.Sin(r / 25.0);
                if (c % 32 < 5) v += 10; // bone-like stripes
                if (Distance(r, c) <= SpotRadius) v += 12;
                truth[r * Width + c] = (float)v;
            }
        return truth;
    }

    private static double Distance(int r, int c) => Math.Sqrt((r - SpotRow) * (r - SpotRow) + (c - SpotColumn) * (c - SpotColumn));

    private static float[] Noisy(float[] truth, int seed)
    {
        var random = new Random(seed);
        return truth.Select(t => (float)CountThinningTests.Poisson(random, t)).ToArray();
    }

    private static double Mse(float[] a, float[] b) => a.Zip(b).Average(p => (p.First - p.Second) * (double)(p.First - p.Second));

    private static double Contrast(float[] image)
    {
        double core = 0, ring = 0;
        int nCore = 0, nRing = 0;
        for (var r = 0; r < Height; r++)
            for (var c = 0; c < Width; c++)
            {
                var d = Distance(r, c);
                if (d <= 0.8 * SpotRadius) { core += image[r * Width + c]; nCore++; }
                else if (d >= SpotRadius + 2 && d <= SpotRadius + 6) { ring += image[r * Width + c]; nRing++; }
            }
        return (core / nCore - ring / nRing) / (ring / nRing);
    }

    [Fact]
    public void Denoising_reduces_the_error_against_the_truth_several_fold()
    {
        var truth = Truth();
        var noisy = Noisy(truth, 1);
        var denoised = PoissonDenoiser.Denoise(noisy, Width, Height, PoissonDenoiser.DefaultParameters);
        var before = Mse(noisy, truth);
        var after = Mse(denoised, truth);
        Assert.True(after < before / 2.5, $"MSE {before:F2} -> {after:F2}");
        // The count level stays: the unbiased inverse keeps the total within 2 %.
        Assert.InRange(denoised.Sum() / truth.Sum(), 0.98, 1.02);
    }

    [Fact]
    public void Small_hot_lesion_keeps_most_of_its_contrast()
    {
        var truth = Truth();
        var trueContrast = Contrast(truth);
        // Averaged over noise draws: one draw's contrast itself varies by about 10 %.
        var recoveries = Enumerable.Range(10, 5)
            .Select(seed => Contrast(PoissonDenoiser.Denoise(Noisy(truth, seed), Width, Height, PoissonDenoiser.DefaultParameters)) / trueContrast)
            .ToList();
        Assert.True(recoveries.Average() >= 0.8, $"contrast recovery {string.Join(", ", recoveries.Select(r => r.ToString("F2")))}");
        Assert.True(recoveries.Min() >= 0.6, $"a lesion was nearly erased: {recoveries.Min():F2}");
    }

    [Fact]
    public void Result_does_not_depend_on_the_number_of_threads()
    {
        var noisy = Noisy(Truth(), 2);
        var one = PoissonDenoiser.Denoise(noisy, Width, Height, PoissonDenoiser.DefaultParameters, maxDegreeOfParallelism: 1);
        var four = PoissonDenoiser.Denoise(noisy, Width, Height, PoissonDenoiser.DefaultParameters, maxDegreeOfParallelism: 4);
        Assert.Equal(one, four);
    }

    [Fact]
    public void Flat_poisson_image_keeps_its_mean_with_far_less_noise_and_tiny_images_work()
    {
        var flat = Noisy(Enumerable.Repeat(7f, 60 * 50).ToArray(), 3);
        var result = PoissonDenoiser.Denoise(flat, 60, 50, PoissonDenoiser.DefaultParameters);
        var mean = result.Average(v => (double)v);
        var sd = Math.Sqrt(result.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, 7 * 0.97, 7 * 1.03);
        Assert.True(sd < Math.Sqrt(7) / 3, $"standard deviation {sd:F2} (Poisson: {Math.Sqrt(7):F2})");
        Assert.Single(PoissonDenoiser.Denoise([3f], 1, 1, PoissonDenoiser.DefaultParameters));
        Assert.Equal(6, PoissonDenoiser.Denoise([0, 1, 2, 3, 4, 5], 3, 2, PoissonDenoiser.DefaultParameters).Length);
    }

    [Fact]
    public void Unbiased_inverse_returns_the_mean_even_at_one_count_per_pixel()
    {
        foreach (var lambda in new[] { 1.0, 2.0, 5.0, 30.0 })
        {
            // E[Anscombe(X)] for X ~ Poisson(lambda), summed exactly over the distribution.
            double expected = 0, p = Math.Exp(-lambda);
            for (var k = 0; k < 200; k++)
            {
                expected += p * Anscombe.Forward(k);
                p *= lambda / (k + 1);
            }
            var back = Anscombe.Inverse((float)expected);
            Assert.True(Math.Abs(back - lambda) < 0.02 * lambda + 0.01, $"lambda {lambda}: {back}");
            // The algebraic inverse is biased there: that is why it is not used.
            var algebraic = expected * expected / 4 - 0.375;
            if (lambda <= 2) Assert.True(Math.Abs(algebraic - lambda) > 0.1, $"lambda {lambda}: algebraic {algebraic}");
        }
    }

    [Fact]
    public void Bad_input_is_refused()
    {
        var p = PoissonDenoiser.DefaultParameters;
        Assert.Throws<ArgumentException>(() => PoissonDenoiser.Denoise(new float[10], 3, 3, p));
        Assert.Throws<ArgumentException>(() => PoissonDenoiser.Denoise(new float[9], 0, 9, p));
        Assert.Throws<ArgumentException>(() => NonLocalMeans.Filter([1f, float.NaN, 1f, 1f], 2, 2, p));
        Assert.Throws<ArgumentOutOfRangeException>(() => PoissonDenoiser.Denoise(new float[9], 3, 3, p with { H = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => PoissonDenoiser.Denoise(new float[9], 3, 3, p with { SearchRadius = 100 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => PoissonDenoiser.Denoise(new float[9], 3, 3, p with { PatchRadius = -1 }));
    }
}
