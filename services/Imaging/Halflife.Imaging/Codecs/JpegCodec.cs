namespace Halflife.Imaging.Codecs;

/// <summary>JPEG encoding and decoding of <see cref="Bgra32Image"/> through libjpeg-turbo's TurboJPEG API. Thread-safe.</summary>
public static class JpegCodec
{
    /// <summary>Pillow's defaults (quality 75, 4:2:0), which openslide-python's Deep Zoom server uses too.</summary>
    public const int DefaultQuality = 75;

    private static readonly TurboJpegHandlePool Compressors = new(TurboJpegNative.InitCompress);
    private static readonly TurboJpegHandlePool Decompressors = new(TurboJpegNative.InitDecompress);

    /// <summary>Encodes an image, ignoring alpha (JPEG has none: composite onto a background first).</summary>
    public static byte[] Encode(Bgra32Image image, int quality = DefaultQuality, JpegSubsampling subsampling = JpegSubsampling.Yuv420)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Encode(image.Pixels, image.Width, image.Height, quality, subsampling);
    }

    /// <summary>Encodes packed BGRX pixels (the fourth byte of each pixel is ignored).</summary>
    public static unsafe byte[] Encode(ReadOnlySpan<byte> bgrx, int width, int height, int quality = DefaultQuality, JpegSubsampling subsampling = JpegSubsampling.Yuv420)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        if (bgrx.Length < (long)width * height * 4)
        {
            throw new ArgumentException($"{bgrx.Length} bytes cannot hold {width}x{height} BGRX pixels.", nameof(bgrx));
        }

        var handle = Compressors.Rent();
        var jpeg = IntPtr.Zero;
        try
        {
            nuint size = 0;
            int result;
            fixed (byte* source = bgrx)
            {
                // TurboJPEG allocates the output buffer itself (jpeg == NULL): it is freed with tjFree below.
                result = TurboJpegNative.Compress2(handle, source, width, width * 4, height, TurboJpegNative.PixelFormat.Bgrx,
                    ref jpeg, ref size, subsampling, quality, 0);
            }

            if (result != 0)
            {
                throw new InvalidOperationException("JPEG encoding failed: " + TurboJpegNative.ErrorMessage(handle));
            }

            return new ReadOnlySpan<byte>((void*)jpeg, checked((int)size)).ToArray();
        }
        finally
        {
            if (jpeg != IntPtr.Zero)
            {
                TurboJpegNative.Free(jpeg);
            }

            Compressors.Return(handle);
        }
    }

    /// <summary>Decodes a JPEG to opaque BGRA.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a decodable JPEG.</exception>
    public static unsafe Bgra32Image Decode(ReadOnlySpan<byte> jpeg, long maxPixels = 64L * 1024 * 1024)
    {
        if (jpeg.IsEmpty)
        {
            throw new InvalidDataException("Empty JPEG.");
        }

        var handle = Decompressors.Rent();
        try
        {
            fixed (byte* source = jpeg)
            {
                if (TurboJpegNative.DecompressHeader3(handle, source, (nuint)jpeg.Length, out var width, out var height, out _, out _) != 0)
                {
                    throw new InvalidDataException("Not a readable JPEG: " + TurboJpegNative.ErrorMessage(handle));
                }

                if (width <= 0 || height <= 0 || (long)width * height > maxPixels)
                {
                    throw new InvalidDataException($"JPEG size {width}x{height} is outside the allowed range.");
                }

                var pixels = new byte[width * height * 4];
                fixed (byte* destination = pixels)
                {
                    if (TurboJpegNative.Decompress2(handle, source, (nuint)jpeg.Length, destination, width, width * 4, height, TurboJpegNative.PixelFormat.Bgra, 0) != 0)
                    {
                        throw new InvalidDataException("JPEG decoding failed: " + TurboJpegNative.ErrorMessage(handle));
                    }
                }

                return new Bgra32Image(width, height, pixels);
            }
        }
        finally
        {
            Decompressors.Return(handle);
        }
    }
}
