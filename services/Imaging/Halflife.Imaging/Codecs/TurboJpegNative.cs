using System.Runtime.InteropServices;

namespace Halflife.Imaging.Codecs;

/// <summary>P/Invoke declarations for libjpeg-turbo's TurboJPEG 2.x API (Debian libturbojpeg0).</summary>
internal static partial class TurboJpegNative
{
    private const string Library = "libturbojpeg.so.0";

    internal enum PixelFormat
    {
        Rgb = 0,
        Bgr = 1,
        Rgbx = 2,
        Bgrx = 3,
        Xbgr = 4,
        Xrgb = 5,
        Gray = 6,
        Rgba = 7,
        Bgra = 8,
    }

    [LibraryImport(Library, EntryPoint = "tjInitCompress")]
    internal static partial IntPtr InitCompress();

    [LibraryImport(Library, EntryPoint = "tjInitDecompress")]
    internal static partial IntPtr InitDecompress();

    [LibraryImport(Library, EntryPoint = "tjDestroy")]
    internal static partial int Destroy(IntPtr handle);

    [LibraryImport(Library, EntryPoint = "tjFree")]
    internal static partial void Free(IntPtr buffer);

    [LibraryImport(Library, EntryPoint = "tjGetErrorStr2")]
    internal static partial IntPtr GetErrorStr2(IntPtr handle);

    // unsigned long is 64-bit on LP64 Linux, hence nuint.
    [LibraryImport(Library, EntryPoint = "tjCompress2")]
    internal static unsafe partial int Compress2(
        IntPtr handle, byte* source, int width, int pitch, int height, PixelFormat pixelFormat,
        ref IntPtr jpegBuffer, ref nuint jpegSize, JpegSubsampling subsampling, int quality, int flags);

    [LibraryImport(Library, EntryPoint = "tjDecompressHeader3")]
    internal static unsafe partial int DecompressHeader3(
        IntPtr handle, byte* jpeg, nuint jpegSize, out int width, out int height, out int subsampling, out int colorspace);

    [LibraryImport(Library, EntryPoint = "tjDecompress2")]
    internal static unsafe partial int Decompress2(
        IntPtr handle, byte* jpeg, nuint jpegSize, byte* destination, int width, int pitch, int height, PixelFormat pixelFormat, int flags);

    internal static string ErrorMessage(IntPtr handle) =>
        Marshal.PtrToStringUTF8(GetErrorStr2(handle)) ?? "unknown TurboJPEG error";
}

/// <summary>Chroma subsampling of an encoded JPEG (TurboJPEG's TJSAMP values).</summary>
public enum JpegSubsampling
{
    Yuv444 = 0,
    Yuv422 = 1,
    Yuv420 = 2,
    Gray = 3,
}
