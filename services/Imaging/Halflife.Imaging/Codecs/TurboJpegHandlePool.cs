using System.Collections.Concurrent;

namespace Halflife.Imaging.Codecs;

/// <summary>
/// TurboJPEG handles are not thread-safe, and creating one per image costs an allocation of
/// libjpeg state; a small pool keeps one per concurrently encoding thread.
/// </summary>
internal sealed class TurboJpegHandlePool(Func<IntPtr> create)
{
    private readonly ConcurrentBag<IntPtr> _idle = [];
    private readonly int _maxIdle = Math.Max(4, Environment.ProcessorCount * 2);

    public IntPtr Rent()
    {
        if (_idle.TryTake(out var handle))
        {
            return handle;
        }

        handle = create();
        return handle != IntPtr.Zero
            ? handle
            : throw new InvalidOperationException("TurboJPEG could not allocate a handle: " + TurboJpegNative.ErrorMessage(IntPtr.Zero));
    }

    public void Return(IntPtr handle)
    {
        if (_idle.Count < _maxIdle)
        {
            _idle.Add(handle);
        }
        else
        {
            TurboJpegNative.Destroy(handle);
        }
    }
}
