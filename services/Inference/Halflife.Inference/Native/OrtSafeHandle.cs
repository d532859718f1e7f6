using System.Buffers;
using System.Runtime.InteropServices;

namespace Halflife.Inference.Native;

/// <summary>
/// Owns one ONNX Runtime object and frees it through its <c>Release*</c> slot exactly once, from Dispose or, if the
/// owner forgot, from the finalizer; SafeHandle's reference counting keeps it alive during calls that use it.
/// </summary>
internal sealed class OrtSafeHandle : SafeHandle
{
    private readonly int releaseIndex;

    public OrtSafeHandle(nint handle, int releaseIndex)
        : base(0, ownsHandle: true)
    {
        this.releaseIndex = releaseIndex;
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>
    /// Managed memory the native object points into (a tensor over a managed array). Unpinned only after the
    /// native object is released, on Dispose and on finalization alike.
    /// </summary>
    public MemoryHandle Pin { get; set; }

    protected override bool ReleaseHandle()
    {
        OrtApi.Release(releaseIndex, handle);
        Pin.Dispose();
        return true;
    }
}
