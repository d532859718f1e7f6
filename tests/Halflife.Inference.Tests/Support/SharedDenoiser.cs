namespace Halflife.Inference.Tests.Support;

/// <summary>The shared DnCNN test model and deterministic inputs for it.</summary>
internal static class SharedDenoiser
{
    public static string ModelPath => TestEnvironment.RequireSharedFile(Path.Combine("onnx", "dncnn_gray_blind.onnx"));

    /// <summary>A ramp with a bright square plus Gaussian noise from a fixed seed, clipped to 0..1: [n,1,h,w].</summary>
    public static float[] NoisyImage(int n, int height, int width, int seed)
    {
        var random = new Random(seed);
        var pixels = new float[n * height * width];
        for (var b = 0; b < n; b++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var clean = 0.2 + (0.5 * x / width) + (y > height / 4 && y < height / 2 && x > width / 3 ? 0.25 : 0);
                    var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                    pixels[(b * height * width) + (y * width) + x] = (float)Math.Clamp(clean + (0.08 * gaussian), 0, 1);
                }
            }
        }

        return pixels;
    }
}
