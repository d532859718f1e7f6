using Halflife.Inference.Native;

namespace Halflife.Inference;

/// <summary>
/// Options for creating an <see cref="InferenceSession"/>; mirrors Microsoft.ML.OnnxRuntime's SessionOptions
/// (same property and method names). Each setter is applied to the native object at once, so a bad value fails
/// here rather than at session creation.
/// </summary>
public sealed unsafe class SessionOptions : IDisposable
{
    /// <summary>Session config key telling ONNX Runtime where a model loaded from bytes keeps its external data.</summary>
    public const string ExternalInitializersFolderKey = "session.model_external_initializers_file_folder_path";

    private readonly OrtSafeHandle handle;
    private readonly List<string> providers = [];
    private int intraOpNumThreads;
    private int interOpNumThreads;
    private GraphOptimizationLevel graphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL;
    private ExecutionMode executionMode = ExecutionMode.ORT_SEQUENTIAL;
    private OrtLoggingLevel logSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING;

    public SessionOptions()
    {
        _ = OrtEnv.Instance(); // the environment must exist before any other ONNX Runtime object
        nint options;
        OrtApi.Check(((delegate* unmanaged[Cdecl]<nint*, nint>)OrtApi.Fn(OrtApiIndex.CreateSessionOptions))(&options));
        handle = new OrtSafeHandle(options, OrtApiIndex.ReleaseSessionOptions);
    }

    /// <summary>Threads used inside one operator (0 = ONNX Runtime's choice: one per physical core).</summary>
    public int IntraOpNumThreads
    {
        get => intraOpNumThreads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Call(OrtApiIndex.SetIntraOpNumThreads, value);
            intraOpNumThreads = value;
        }
    }

    /// <summary>Threads used across independent operators when <see cref="ExecutionMode"/> is parallel (0 = default).</summary>
    public int InterOpNumThreads
    {
        get => interOpNumThreads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Call(OrtApiIndex.SetInterOpNumThreads, value);
            interOpNumThreads = value;
        }
    }

    public GraphOptimizationLevel GraphOptimizationLevel
    {
        get => graphOptimizationLevel;
        set
        {
            Call(OrtApiIndex.SetSessionGraphOptimizationLevel, (int)value);
            graphOptimizationLevel = value;
        }
    }

    public ExecutionMode ExecutionMode
    {
        get => executionMode;
        set
        {
            Call(OrtApiIndex.SetSessionExecutionMode, (int)value);
            executionMode = value;
        }
    }

    public OrtLoggingLevel LogSeverityLevel
    {
        get => logSeverityLevel;
        set
        {
            Call(OrtApiIndex.SetSessionLogSeverityLevel, (int)value);
            logSeverityLevel = value;
        }
    }

    /// <summary>Execution providers appended so far, highest priority first; empty means CPU only.</summary>
    public IReadOnlyList<string> AppendedProviders => providers;

    /// <summary>CUDA device of the appended CUDA provider, if any.</summary>
    public int? CudaDeviceId { get; private set; }

    internal OrtSafeHandle Handle => handle;

    /// <summary>Sets a session config entry (keys are in onnxruntime_session_options_config_keys.h).</summary>
    public void AddSessionConfigEntry(string key, string value)
    {
        var keyUtf8 = OrtApi.Utf8(key);
        var valueUtf8 = OrtApi.Utf8(value);
        fixed (byte* k = keyUtf8, v = valueUtf8)
        {
            OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, byte*, byte*, nint>)OrtApi.Fn(OrtApiIndex.AddSessionConfigEntry))(
                handle.DangerousGetHandle(), k, v));
        }

        GC.KeepAlive(handle);
    }

    /// <summary>
    /// Where a model loaded from bytes finds its external data files (the <c>.onnx.data</c> beside the model).
    /// Not needed when loading from a path: ONNX Runtime then looks beside the model file itself.
    /// </summary>
    public void SetExternalDataFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"External data folder '{folder}' does not exist.");
        }

        AddSessionConfigEntry(ExternalInitializersFolderKey, Path.GetFullPath(folder));
    }

    /// <summary>
    /// Appends the CUDA execution provider (CUDA_V2 options). Throws <see cref="OnnxRuntimeException"/> when the
    /// loaded library has no CUDA provider or it cannot start; <see cref="ExecutionProviderSelector"/>
    /// turns that into a CPU fallback with a reason.
    /// </summary>
    public void AppendExecutionProvider_CUDA(int deviceId = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(deviceId);
        nint cudaOptions;
        OrtApi.Check(((delegate* unmanaged[Cdecl]<nint*, nint>)OrtApi.Fn(OrtApiIndex.CreateCUDAProviderOptions))(&cudaOptions));
        try
        {
            var key = OrtApi.Utf8("device_id");
            var value = OrtApi.Utf8(deviceId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            fixed (byte* k = key, v = value)
            {
                var keys = (nint)k;
                var values = (nint)v;
                OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, nint*, nint*, nuint, nint>)OrtApi.Fn(OrtApiIndex.UpdateCUDAProviderOptions))(
                    cudaOptions, &keys, &values, 1));
            }

            OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, nint, nint>)OrtApi.Fn(OrtApiIndex.SessionOptionsAppendExecutionProvider_CUDA_V2))(
                handle.DangerousGetHandle(), cudaOptions));
            GC.KeepAlive(handle);
        }
        finally
        {
            OrtApi.Release(OrtApiIndex.ReleaseCUDAProviderOptions, cudaOptions);
        }

        providers.Add(ExecutionProviders.Cuda);
        CudaDeviceId = deviceId;
    }

    public void Dispose() => handle.Dispose();

    private void Call(int index, int value)
    {
        ObjectDisposedException.ThrowIf(handle.IsClosed, this);
        OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, int, nint>)OrtApi.Fn(index))(handle.DangerousGetHandle(), value));
        GC.KeepAlive(handle);
    }
}
