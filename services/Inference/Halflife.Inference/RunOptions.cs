using Halflife.Inference.Native;

namespace Halflife.Inference;

/// <summary>Per-run options; mirrors Microsoft.ML.OnnxRuntime's RunOptions (run tag, cooperative termination).</summary>
public sealed unsafe class RunOptions : IDisposable
{
    private readonly OrtSafeHandle handle;
    private string runTag = "";
    private bool terminate;

    public RunOptions()
    {
        _ = OrtEnv.Instance();
        nint options;
        OrtApi.Check(((delegate* unmanaged[Cdecl]<nint*, nint>)OrtApi.Fn(OrtApiIndex.CreateRunOptions))(&options));
        handle = new OrtSafeHandle(options, OrtApiIndex.ReleaseRunOptions);
    }

    /// <summary>A label for this run in ONNX Runtime's own log lines.</summary>
    public string RunTag
    {
        get => runTag;
        set
        {
            var tag = OrtApi.Utf8(value);
            fixed (byte* t = tag)
            {
                OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, byte*, nint>)OrtApi.Fn(OrtApiIndex.RunOptionsSetRunTag))(Pointer, t));
            }

            runTag = value;
        }
    }

    /// <summary>
    /// Set to true (from any thread) to make runs using these options stop at the next operator boundary and fail
    /// with an exception; how a cancelled job releases its CPU or GPU promptly.
    /// </summary>
    public bool Terminate
    {
        get => terminate;
        set
        {
            var index = value ? OrtApiIndex.RunOptionsSetTerminate : OrtApiIndex.RunOptionsUnsetTerminate;
            OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, nint>)OrtApi.Fn(index))(Pointer));
            terminate = value;
        }
    }

    internal OrtSafeHandle Handle => handle;

    private nint Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            return handle.DangerousGetHandle();
        }
    }

    public void Dispose() => handle.Dispose();
}
