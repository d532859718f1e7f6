using System.Runtime.InteropServices;
using Halflife.Inference.Native;

namespace Halflife.Inference;

/// <summary>
/// The process-wide ONNX Runtime environment (logging, global state); mirrors Microsoft.ML.OnnxRuntime's
/// <c>OrtEnv.Instance()</c>. It is created on first use and deliberately never released: ONNX Runtime expects the
/// environment to outlive every session, and tearing it down during process exit races with finalizers.
/// </summary>
public sealed unsafe class OrtEnv
{
    private static readonly Lazy<OrtEnv> LazyInstance = new(() => new OrtEnv(), LazyThreadSafetyMode.ExecutionAndPublication);

    private OrtEnv()
    {
        var logId = OrtApi.Utf8("halflife");
        nint env;
        fixed (byte* id = logId)
        {
            OrtApi.Check(((delegate* unmanaged[Cdecl]<int, byte*, nint*, nint>)OrtApi.Fn(OrtApiIndex.CreateEnv))(
                (int)OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, id, &env));
        }

        Handle = env;

        nint memoryInfo;
        // OrtArenaAllocator = 1, OrtMemTypeDefault = 0: describes plain CPU memory we hand to ONNX Runtime.
        OrtApi.Check(((delegate* unmanaged[Cdecl]<int, int, nint*, nint>)OrtApi.Fn(OrtApiIndex.CreateCpuMemoryInfo))(1, 0, &memoryInfo));
        CpuMemoryInfo = memoryInfo;

        nint allocator;
        OrtApi.Check(((delegate* unmanaged[Cdecl]<nint*, nint>)OrtApi.Fn(OrtApiIndex.GetAllocatorWithDefaultOptions))(&allocator));
        DefaultAllocator = allocator;
    }

    public static OrtEnv Instance() => LazyLoadedInstance;

    private static OrtEnv LazyLoadedInstance => LazyInstance.Value;

    internal nint Handle { get; }

    /// <summary>OrtMemoryInfo for CPU memory, shared by every tensor created over managed arrays.</summary>
    internal nint CpuMemoryInfo { get; }

    /// <summary>ONNX Runtime's default CPU allocator; owned by the library, never freed.</summary>
    internal nint DefaultAllocator { get; }

    /// <summary>Version of the loaded native library, e.g. "1.30.0".</summary>
    public string Version => OrtApi.Version;

    /// <summary>The native library's build description (commit, build type).</summary>
    public string BuildInfo => OrtApi.BuildInfo;

    /// <summary>Where the native library was loaded from (see <see cref="OnnxRuntimeLibrary"/>).</summary>
    public string? LibraryPath => OnnxRuntimeLibrary.LoadedFrom;

    /// <summary>Execution providers compiled into the loaded library, e.g. "CPUExecutionProvider".</summary>
    public string[] GetAvailableProviders()
    {
        nint list;
        int count;
        OrtApi.Check(((delegate* unmanaged[Cdecl]<nint*, int*, nint>)OrtApi.Fn(OrtApiIndex.GetAvailableProviders))(&list, &count));
        try
        {
            var names = new string[count];
            for (var i = 0; i < count; i++)
            {
                names[i] = Marshal.PtrToStringUTF8(((nint*)list)[i]) ?? "";
            }

            return names;
        }
        finally
        {
            OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, int, nint>)OrtApi.Fn(OrtApiIndex.ReleaseAvailableProviders))(list, count));
        }
    }

    /// <summary>Frees a string ONNX Runtime allocated with the default allocator.</summary>
    internal string TakeString(nint text)
    {
        try
        {
            return Marshal.PtrToStringUTF8(text) ?? "";
        }
        finally
        {
            OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, nint, nint>)OrtApi.Fn(OrtApiIndex.AllocatorFree))(DefaultAllocator, text));
        }
    }
}
