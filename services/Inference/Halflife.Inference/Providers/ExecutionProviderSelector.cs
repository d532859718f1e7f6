using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Halflife.Inference;

/// <summary>
/// Puts the preferred execution provider into <see cref="SessionOptions"/>. The CPU library that the build fetches
/// has no CUDA provider; GPU images load the GPU build through HALFLIFE_ONNXRUNTIME_PATH and get CUDA here without
/// code changes. Falling back is logged with the reason, because a model silently running on CPU is slow, not broken.
/// </summary>
public static partial class ExecutionProviderSelector
{
    public static ExecutionProviderChoice Apply(
        SessionOptions options, ExecutionProviderPreference preference, int cudaDeviceId = 0, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        logger ??= NullLogger.Instance;

        if (preference == ExecutionProviderPreference.Cpu)
        {
            return new ExecutionProviderChoice(ExecutionProviders.Cpu, "cpu", null);
        }

        var reason = TryAppendCuda(options, cudaDeviceId);
        if (reason is null)
        {
            return new ExecutionProviderChoice(ExecutionProviders.Cuda, $"cuda:{cudaDeviceId}", null);
        }

        if (preference == ExecutionProviderPreference.RequireCuda)
        {
            throw new OnnxRuntimeException(OrtErrorCode.EpFail, "CUDA execution provider required but unavailable: " + reason);
        }

        LogCpuFallback(logger, reason);
        return new ExecutionProviderChoice(ExecutionProviders.Cpu, "cpu", reason);
    }

    private static string? TryAppendCuda(SessionOptions options, int deviceId)
    {
        var env = OrtEnv.Instance();
        var available = env.GetAvailableProviders();
        if (!available.Contains(ExecutionProviders.Cuda))
        {
            return $"the loaded ONNX Runtime {env.Version} ({env.LibraryPath}) has no {ExecutionProviders.Cuda}; " +
                   $"it offers {string.Join(", ", available)}. Point {Native.OnnxRuntimeLibrary.PathVariable} at a GPU build.";
        }

        try
        {
            options.AppendExecutionProvider_CUDA(deviceId);
            return null;
        }
        catch (OnnxRuntimeException e)
        {
            // Typical causes: libonnxruntime_providers_cuda.so, CUDA or cuDNN libraries missing, or no such device.
            return $"{ExecutionProviders.Cuda} could not be appended for device {deviceId}: {e.Message}";
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Inference falls back to CPU: {Reason}")]
    private static partial void LogCpuFallback(ILogger logger, string reason);
}
