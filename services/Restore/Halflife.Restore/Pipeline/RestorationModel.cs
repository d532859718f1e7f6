using Halflife.Inference;
using Microsoft.Extensions.Options;

namespace Halflife.Restore.Pipeline;

/// <summary>
/// The bone-scan restoration network: one ONNX Runtime session per process (Run is thread-safe), opened on first use
/// so that a host which never sees an NM image never loads it.
/// </summary>
public sealed class RestorationModel : IDisposable
{
    public const string DefaultRelativePath = "models/bone-restore/bone-restore-v1.onnx";
    private readonly Lazy<InferenceSession> _session;

    public RestorationModel(IOptions<RestoreOptions> options)
    {
        Path = ResolvePath(options.Value.ModelPath);
        Card = ModelCard.Read(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "model-card.json"));
        _session = new Lazy<InferenceSession>(() =>
            new InferenceSession(Path) { ModelName = Card.Name, ModelVersion = Card.Version });
    }

    public string Path { get; }
    public ModelCard Card { get; }

    /// <summary>Runs a batch of single-channel views, NCHW with C = 1; returns the output of the same shape.</summary>
    public float[] Run(float[] input, int batch, int height, int width)
    {
        var session = _session.Value;
        using var tensor = OrtValue.CreateTensorValueFromMemory(input, [batch, 1, height, width]);
        using var outputs = session.Run(null, [session.InputNames[0]], [tensor], [session.OutputNames[0]]);
        var output = outputs[0].ToArray<float>();
        if (output.Length != input.Length)
            throw new InvalidOperationException($"{Card.Name} returned {output.Length} values for an input of {input.Length}.");
        return output;
    }

    private static string ResolvePath(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
            return File.Exists(configured) ? System.IO.Path.GetFullPath(configured)
                : throw new FileNotFoundException($"Restore:ModelPath points to a missing file.", configured);
        var copied = System.IO.Path.Combine(AppContext.BaseDirectory, DefaultRelativePath);
        if (File.Exists(copied)) return copied;
        // Running from a source tree without the copy (e.g. a tool started from the repository): look upwards.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, DefaultRelativePath);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"The restoration model {DefaultRelativePath} was not found; set Restore:ModelPath.");
    }

    public void Dispose()
    {
        if (_session.IsValueCreated) _session.Value.Dispose();
    }
}
