using System.Globalization;
using Halflife.Evaluation;

namespace Halflife.Denoise.Tests;

/// <summary>
/// The C# metrics and Gaussian filter against training/restore/metrics.py and scipy on the same arrays: the C#
/// evaluation table must mean what the Python one means.
/// </summary>
public sealed class MetricsAgreeWithPythonTests : IDisposable
{
    private const int Width = 64, Height = 96;
    private readonly string _folder = Directory.CreateTempSubdirectory("halflife-metrics-").FullName;
    private static readonly Lesion[] Lesions = [new(30.3, 20.7, 3.5), new(70, 44, 2.0), new(50, 10, 1.0)];

    /// <summary>A smooth body with hot spots (reference) and a noisy, blurred, offset copy of it (image).</summary>
    private static (float[] Reference, float[] Image) Arrays()
    {
        var random = new Random(3);
        var reference = new float[Width * Height];
        var image = new float[Width * Height];
        for (var r = 0; r < Height; r++)
            for (var c = 0; c < Width; c++)
            {
                var v = 1.0 + 0.5 * Math.Sin(r / 9.0) * Math.Cos(c / 7.0);
                foreach (var l in Lesions)
                    if ((r - l.Row) * (r - l.Row) + (c - l.Column) * (c - l.Column) <= l.Radius * l.Radius) v *= 2.5;
                if (r > 80 && c > 50) v = 9; // a "bladder" above the 99th percentile
                reference[r * Width + c] = (float)v;
                image[r * Width + c] = (float)(v * 0.9 + 0.05 + 0.2 * (random.NextDouble() - 0.5));
            }
        return (reference, image);
    }

    [Fact]
    public void Psnr_ssim_and_contrast_recovery_match_the_python_definitions()
    {
        PythonOracle.Require();
        var (reference, image) = Arrays();
        NpyArray.Write(Path.Combine(_folder, "ref.npy"), reference, Height, Width);
        NpyArray.Write(Path.Combine(_folder, "img.npy"), image, Height, Width);
        var lesions = string.Join(",", Lesions.Select(l => string.Create(CultureInfo.InvariantCulture, $"({l.Row},{l.Column},{l.Radius})")));
        var script = $$"""
            import sys, numpy as np
            from training.restore import metrics
            ref = np.load(sys.argv[1]); img = np.load(sys.argv[2])
            rec = metrics.contrast_recovery(ref, img, [{{lesions}}])
            print(repr(metrics.peak(ref)), repr(metrics.psnr(ref, img)), repr(metrics.ssim(ref, img)), *[repr(r) for r in rec])
            """;
        var (exit, output, error) = PythonOracle.Run(script, Path.Combine(_folder, "ref.npy"), Path.Combine(_folder, "img.npy"));
        Assert.True(exit == 0, error);
        var expected = output.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

        Assert.Equal(expected[0], ImageMetrics.Peak(reference), 6);
        Assert.Equal(expected[1], ImageMetrics.Psnr(reference, image), 6);
        // scipy filters in a different summation order: agreement to 1e-6 rather than to the last bit.
        Assert.InRange(ImageMetrics.Ssim(reference, image, Width, Height), expected[2] - 1e-6, expected[2] + 1e-6);
        var recovery = ImageMetrics.ContrastRecovery(reference, image, Width, Height, Lesions);
        Assert.Equal(expected.Length - 3, recovery.Count);
        Assert.True(recovery.Count >= 2, "at least two lesions must be measurable for the comparison to mean something");
        // numpy averages float32 images in float32; the C# side in double: agreement to float32 precision.
        for (var i = 0; i < recovery.Count; i++) Assert.InRange(recovery[i], expected[3 + i] - 1e-5, expected[3 + i] + 1e-5);
    }

    [Theory]
    [InlineData(0.75)]
    [InlineData(2.5)]
    public void Gaussian_filter_matches_scipy(double sigma)
    {
        PythonOracle.Require();
        var (_, image) = Arrays();
        NpyArray.Write(Path.Combine(_folder, "img.npy"), image, Height, Width);
        var output = Path.Combine(_folder, "out.npy");
        var (exit, _, error) = PythonOracle.Run("""
            import sys, numpy as np
            from training.restore import baselines
            np.save(sys.argv[2], baselines.gaussian(np.load(sys.argv[1]), float(sys.argv[3])).astype(np.float32))
            """, Path.Combine(_folder, "img.npy"), output, sigma.ToString(CultureInfo.InvariantCulture));
        Assert.True(exit == 0, error);
        var (expected, rows, columns) = NpyArray.Read(output);
        Assert.Equal((Height, Width), (rows, columns));
        var actual = GaussianFilter.Apply(image, Width, Height, sigma);
        for (var i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-5, $"pixel {i}: {expected[i]} vs {actual[i]}");
    }

    [Fact]
    public void Npy_round_trip_and_bad_files()
    {
        var path = Path.Combine(_folder, "a.npy");
        NpyArray.Write(path, [1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        var (values, rows, columns) = NpyArray.Read(path);
        Assert.Equal((2, 3), (rows, columns));
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], values);
        File.WriteAllText(Path.Combine(_folder, "b.npy"), "not numpy");
        Assert.Throws<InvalidDataException>(() => NpyArray.Read(Path.Combine(_folder, "b.npy")));
        File.WriteAllBytes(Path.Combine(_folder, "c.npy"), File.ReadAllBytes(path)[..^4]);
        Assert.Throws<InvalidDataException>(() => NpyArray.Read(Path.Combine(_folder, "c.npy")));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
