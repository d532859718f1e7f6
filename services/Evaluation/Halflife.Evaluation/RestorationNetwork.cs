using Halflife.Inference;

namespace Halflife.Evaluation;

/// <summary>
/// A restoration ONNX model (bone-restore, bone-denoise-counts) as its card says to run it (docs/restoration.md, "Interface"): the input is the view
/// divided by its mean count, zero-padded at the bottom and right to multiples of 16; the output, cropped back, is in
/// the same units. The evaluation compares everything in those units, so the output is returned as it is.
/// </summary>
public sealed class RestorationNetwork : IDisposable
{
    public const string DefaultRelativePath = "models/bone-restore/bone-restore-v1.onnx";
    public const string CountsRelativePath = "models/bone-denoise-counts/bone-denoise-counts-v1.onnx";
    private const int Multiple = 16;
    private readonly InferenceSession _session;

    public RestorationNetwork(string path, string modelName = "bone-restore")
    {
        if (!File.Exists(path)) throw new FileNotFoundException("The restoration model was not found.", path);
        Path = path;
        _session = new InferenceSession(path) { ModelName = modelName, ModelVersion = "evaluation" };
    }

    public string Path { get; }

    /// <summary>The model under the repository root, found by walking up from the working folder and from this tool.</summary>
    public static string? FindDefault(string relativePath = DefaultRelativePath)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, relativePath);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>Restores one view given as counts / mean(counts); returns the output in the same units.</summary>
    public float[] Run(ReadOnlySpan<float> normalised, int width, int height)
    {
        int paddedWidth = RoundUp(width), paddedHeight = RoundUp(height);
        var input = new float[paddedWidth * paddedHeight];
        for (var y = 0; y < height; y++)
            normalised.Slice(y * width, width).CopyTo(input.AsSpan(y * paddedWidth, width));
        using var tensor = OrtValue.CreateTensorValueFromMemory(input, [1, 1, paddedHeight, paddedWidth]);
        using var outputs = _session.Run(null, [_session.InputNames[0]], [tensor], [_session.OutputNames[0]]);
        var output = outputs[0].ToArray<float>();
        if (output.Length != input.Length) throw new InvalidOperationException($"The model returned {output.Length} values for {input.Length}.");
        var cropped = new float[width * height];
        for (var y = 0; y < height; y++)
            output.AsSpan(y * paddedWidth, width).CopyTo(cropped.AsSpan(y * width, width));
        return cropped;
    }

    private static int RoundUp(int size) => (size + Multiple - 1) / Multiple * Multiple;

    public void Dispose() => _session.Dispose();
}
