namespace Halflife.Inference;

/// <summary>ONNX Runtime's names for the execution providers this platform uses.</summary>
public static class ExecutionProviders
{
    public const string Cpu = "CPUExecutionProvider";
    public const string Cuda = "CUDAExecutionProvider";
}

/// <summary>Which hardware a caller wants a model to run on.</summary>
public enum ExecutionProviderPreference
{
    /// <summary>CPU only.</summary>
    Cpu,

    /// <summary>CUDA when the loaded library and machine support it, otherwise CPU with a logged reason.</summary>
    PreferCuda,

    /// <summary>CUDA or an exception: for deployments where silently running on CPU would be a fault.</summary>
    RequireCuda,
}

/// <summary>The provider a session was configured with, and why a preferred one was not used.</summary>
/// <param name="Provider">ONNX Runtime's provider name, e.g. CPUExecutionProvider.</param>
/// <param name="Device">"cpu" or "cuda:N".</param>
/// <param name="FallbackReason">Null when the preference was met; otherwise why the session runs on CPU.</param>
public sealed record ExecutionProviderChoice(string Provider, string Device, string? FallbackReason);
