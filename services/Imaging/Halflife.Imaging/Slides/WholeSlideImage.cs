using System.Runtime.InteropServices;
using Halflife.Imaging.Slides.Native;

namespace Halflife.Imaging.Slides;

/// <summary>
/// A whole-slide image opened through OpenSlide 3.4. Metadata is read once at open; pixel reads
/// go to the native handle. OpenSlide documents an openslide_t as safe for concurrent use from
/// many threads without locking (since 3.3.1, read_region calls run in parallel), so one instance
/// serves all concurrent tile requests for a slide; OpenSlide's own per-handle tile cache is then shared too.
/// </summary>
public sealed class WholeSlideImage : IDisposable
{
    /// <summary>Largest region one read may ask for (256 MiB of pixels): bad input must not mean unbounded memory.</summary>
    public const long MaxRegionPixels = 64L * 1024 * 1024;

    private readonly OpenSlideHandle _handle;

    private WholeSlideImage(string path, string vendor, OpenSlideHandle handle)
    {
        FilePath = path;
        Vendor = vendor;
        _handle = handle;

        var levelCount = OpenSlideNative.GetLevelCount(handle);
        ThrowIfError();
        if (levelCount < 1)
        {
            throw new SlideFormatException(path, "OpenSlide reports no pyramid levels.");
        }

        var dimensions = new SlideSize[levelCount];
        var downsamples = new double[levelCount];
        for (var level = 0; level < levelCount; level++)
        {
            OpenSlideNative.GetLevelDimensions(handle, level, out var w, out var h);
            downsamples[level] = OpenSlideNative.GetLevelDownsample(handle, level);
            ThrowIfError();
            dimensions[level] = new SlideSize(w, h);
        }

        LevelDimensions = dimensions;
        LevelDownsamples = downsamples;
        Properties = new SlideProperties(ReadProperties());
        AssociatedImageNames = OpenSlideNative.ReadStringArray(OpenSlideNative.GetAssociatedImageNames(handle));
        ThrowIfError();
    }

    public string FilePath { get; }

    /// <summary>The format OpenSlide detected: "aperio", "generic-tiff", "hamamatsu", "mirax", "leica", ...</summary>
    public string Vendor { get; }

    public int LevelCount => LevelDimensions.Count;

    public IReadOnlyList<SlideSize> LevelDimensions { get; }

    public IReadOnlyList<double> LevelDownsamples { get; }

    public SlideSize Dimensions => LevelDimensions[0];

    public SlideProperties Properties { get; }

    /// <summary>Names of the non-pyramid images stored with the slide ("thumbnail", "label", "macro").</summary>
    public IReadOnlyList<string> AssociatedImageNames { get; }

    /// <summary>The OpenSlide library version string, e.g. "3.4.1".</summary>
    public static string LibraryVersion => Marshal.PtrToStringUTF8(OpenSlideNative.GetVersion()) ?? "unknown";

    /// <summary>The vendor OpenSlide would use for the file, or null if it is not a slide OpenSlide can read.</summary>
    public static string? DetectVendor(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Marshal.PtrToStringUTF8(OpenSlideNative.DetectVendor(path));
    }

    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="SlideFormatException">Not a slide format OpenSlide reads, or a broken file.</exception>
    public static WholeSlideImage Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("Slide file not found.", path);
        }

        // Detecting first gives "unsupported format" a different, clearer message than "broken file".
        var vendor = DetectVendor(path)
            ?? throw new SlideFormatException(path, "not a whole-slide format that OpenSlide recognises.");

        var handle = OpenSlideNative.Open(path);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new SlideFormatException(path, $"OpenSlide could not open this {vendor} file.");
        }

        try
        {
            var error = ReadError(handle);
            if (error is not null)
            {
                throw new SlideFormatException(path, error);
            }

            return new WholeSlideImage(path, vendor, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public int GetBestLevelForDownsample(double downsample)
    {
        if (!(downsample > 0) || double.IsInfinity(downsample))
        {
            throw new ArgumentOutOfRangeException(nameof(downsample), downsample, "Downsample must be a positive finite number.");
        }

        var level = OpenSlideNative.GetBestLevelForDownsample(_handle, downsample);
        ThrowIfError();
        return level;
    }

    /// <summary>
    /// Reads a region with straight (un-premultiplied) alpha. Areas outside the scanned region are
    /// transparent. <paramref name="x"/> and <paramref name="y"/> are level-0 coordinates;
    /// width and height are in pixels of <paramref name="level"/>.
    /// </summary>
    public Bgra32Image ReadRegion(long x, long y, int level, int width, int height)
    {
        var pixels = new byte[CheckedRegionBytes(level, width, height)];
        ReadRegionPremultiplied(pixels, x, y, level, width, height);
        Premultiplied.ToStraightAlpha(pixels);
        return new Bgra32Image(width, height, pixels);
    }

    /// <summary>Reads a region as OpenSlide returns it: premultiplied BGRA, into a caller-owned buffer.</summary>
    public unsafe void ReadRegionPremultiplied(Span<byte> destination, long x, long y, int level, int width, int height)
    {
        var bytes = CheckedRegionBytes(level, width, height);
        if (destination.Length < bytes)
        {
            throw new ArgumentException($"Destination holds {destination.Length} bytes; the region needs {bytes}.", nameof(destination));
        }

        fixed (byte* dest = destination)
        {
            OpenSlideNative.ReadRegion(_handle, (uint*)dest, x, y, level, width, height);
        }

        ThrowIfError();
    }

    public SlideSize GetAssociatedImageDimensions(string name)
    {
        RequireAssociatedImage(name);
        OpenSlideNative.GetAssociatedImageDimensions(_handle, name, out var w, out var h);
        ThrowIfError();
        return new SlideSize(w, h);
    }

    /// <summary>Reads an associated image (thumbnail, label, macro) with straight alpha.</summary>
    public unsafe Bgra32Image ReadAssociatedImage(string name)
    {
        var size = GetAssociatedImageDimensions(name);
        if (size.Width <= 0 || size.Height <= 0 || size.Width * size.Height > MaxRegionPixels)
        {
            throw new SlideFormatException(FilePath, $"associated image '{name}' has an unusable size {size.Width}x{size.Height}.");
        }

        var pixels = new byte[size.Width * size.Height * Bgra32Image.BytesPerPixel];
        fixed (byte* dest = pixels)
        {
            OpenSlideNative.ReadAssociatedImage(_handle, name, (uint*)dest);
        }

        ThrowIfError();
        Premultiplied.ToStraightAlpha(pixels);
        return new Bgra32Image((int)size.Width, (int)size.Height, pixels);
    }

    /// <summary>
    /// An opaque thumbnail no larger than the given size, made like openslide-python's get_thumbnail():
    /// the whole best level for the needed downsample, over the background colour, shrunk with Lanczos.
    /// Works for slides without a stored "thumbnail" associated image.
    /// </summary>
    public Bgra32Image GetThumbnail(int maxWidth, int maxHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxHeight);
        var downsample = Math.Max((double)Dimensions.Width / maxWidth, (double)Dimensions.Height / maxHeight);
        var level = GetBestLevelForDownsample(Math.Max(downsample, double.Epsilon));
        var size = LevelDimensions[level];
        if (size.Width * size.Height > MaxRegionPixels)
        {
            throw new SlideFormatException(FilePath, $"its smallest usable level ({size.Width}x{size.Height}) is too large for a thumbnail.");
        }

        var (width, height) = ((int)size.Width, (int)size.Height);
        var pixels = new byte[width * height * Bgra32Image.BytesPerPixel];
        ReadRegionPremultiplied(pixels, 0, 0, level, width, height);
        var (r, g, b) = Properties.Background;
        Premultiplied.OverBackground(pixels, r, g, b);
        var (thumb, thumbWidth, thumbHeight) = Tiles.LanczosResampler.Thumbnail(pixels, width, height, maxWidth, maxHeight);
        return new Bgra32Image(thumbWidth, thumbHeight, thumb.Length == thumbWidth * thumbHeight * 4 ? thumb : thumb[..(thumbWidth * thumbHeight * 4)]);
    }

    public void Dispose() => _handle.Dispose();

    private long CheckedRegionBytes(int level, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(level, LevelCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var pixels = (long)width * height;
        if (pixels > MaxRegionPixels)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"A {width}x{height} region exceeds the {MaxRegionPixels}-pixel read limit.");
        }

        return pixels * Bgra32Image.BytesPerPixel;
    }

    private void RequireAssociatedImage(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!AssociatedImageNames.Contains(name))
        {
            throw new KeyNotFoundException($"Slide has no associated image '{name}'. It has: {string.Join(", ", AssociatedImageNames)}.");
        }
    }

    private Dictionary<string, string> ReadProperties()
    {
        var names = OpenSlideNative.ReadStringArray(OpenSlideNative.GetPropertyNames(_handle));
        ThrowIfError();
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            properties[name] = Marshal.PtrToStringUTF8(OpenSlideNative.GetPropertyValue(_handle, name)) ?? string.Empty;
        }

        ThrowIfError();
        return properties;
    }

    private void ThrowIfError()
    {
        var error = ReadError(_handle);
        if (error is not null)
        {
            throw new SlideFormatException(FilePath, error);
        }
    }

    private static string? ReadError(OpenSlideHandle handle)
    {
        var error = OpenSlideNative.GetError(handle);
        return error == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(error);
    }
}
