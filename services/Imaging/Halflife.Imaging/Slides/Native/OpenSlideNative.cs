using System.Runtime.InteropServices;

namespace Halflife.Imaging.Slides.Native;

/// <summary>
/// P/Invoke declarations for OpenSlide 3.4 (Debian libopenslide0). Strings come back as
/// pointers because OpenSlide owns them: they must not be freed by the marshaller.
/// </summary>
internal static partial class OpenSlideNative
{
    private const string Library = "libopenslide.so.0";

    [LibraryImport(Library, EntryPoint = "openslide_detect_vendor", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr DetectVendor(string filename);

    [LibraryImport(Library, EntryPoint = "openslide_open", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial OpenSlideHandle Open(string filename);

    [LibraryImport(Library, EntryPoint = "openslide_close")]
    internal static partial void Close(IntPtr osr);

    [LibraryImport(Library, EntryPoint = "openslide_get_error")]
    internal static partial IntPtr GetError(OpenSlideHandle osr);

    [LibraryImport(Library, EntryPoint = "openslide_get_level_count")]
    internal static partial int GetLevelCount(OpenSlideHandle osr);

    [LibraryImport(Library, EntryPoint = "openslide_get_level_dimensions")]
    internal static partial void GetLevelDimensions(OpenSlideHandle osr, int level, out long width, out long height);

    [LibraryImport(Library, EntryPoint = "openslide_get_level_downsample")]
    internal static partial double GetLevelDownsample(OpenSlideHandle osr, int level);

    [LibraryImport(Library, EntryPoint = "openslide_get_best_level_for_downsample")]
    internal static partial int GetBestLevelForDownsample(OpenSlideHandle osr, double downsample);

    [LibraryImport(Library, EntryPoint = "openslide_read_region")]
    internal static unsafe partial void ReadRegion(OpenSlideHandle osr, uint* dest, long x, long y, int level, long width, long height);

    [LibraryImport(Library, EntryPoint = "openslide_get_property_names")]
    internal static partial IntPtr GetPropertyNames(OpenSlideHandle osr);

    [LibraryImport(Library, EntryPoint = "openslide_get_property_value", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr GetPropertyValue(OpenSlideHandle osr, string name);

    [LibraryImport(Library, EntryPoint = "openslide_get_associated_image_names")]
    internal static partial IntPtr GetAssociatedImageNames(OpenSlideHandle osr);

    [LibraryImport(Library, EntryPoint = "openslide_get_associated_image_dimensions", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void GetAssociatedImageDimensions(OpenSlideHandle osr, string name, out long width, out long height);

    [LibraryImport(Library, EntryPoint = "openslide_read_associated_image", StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial void ReadAssociatedImage(OpenSlideHandle osr, string name, uint* dest);

    [LibraryImport(Library, EntryPoint = "openslide_get_version")]
    internal static partial IntPtr GetVersion();

    /// <summary>Reads a NULL-terminated array of UTF-8 strings owned by OpenSlide.</summary>
    internal static IReadOnlyList<string> ReadStringArray(IntPtr array)
    {
        var result = new List<string>();
        if (array == IntPtr.Zero)
        {
            return result;
        }

        for (var offset = 0; ; offset += IntPtr.Size)
        {
            var item = Marshal.ReadIntPtr(array, offset);
            if (item == IntPtr.Zero)
            {
                return result;
            }

            result.Add(Marshal.PtrToStringUTF8(item) ?? string.Empty);
        }
    }
}

/// <summary>
/// Owns an openslide_t. SafeHandle reference counting means a slide closed while a read is
/// in flight is only released once that read returns, so eviction cannot free memory under a reader.
/// </summary>
internal sealed class OpenSlideHandle : SafeHandle
{
    public OpenSlideHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        OpenSlideNative.Close(handle);
        return true;
    }
}
