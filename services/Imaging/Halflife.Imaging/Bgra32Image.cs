namespace Halflife.Imaging;

/// <summary>
/// An 8-bit-per-channel image stored B, G, R, A in memory (the byte order of OpenSlide's
/// native-endian ARGB words on little-endian machines, and TurboJPEG's BGRA/BGRX formats),
/// rows packed with no padding. Alpha is straight (not premultiplied) unless a method says otherwise.
/// </summary>
public sealed class Bgra32Image
{
    public const int BytesPerPixel = 4;

    public Bgra32Image(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != (long)width * height * BytesPerPixel)
        {
            throw new ArgumentException($"Expected {(long)width * height * BytesPerPixel} bytes for {width}x{height}, got {pixels.Length}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    public int Stride => Width * BytesPerPixel;

    /// <summary>Red, green, blue triplets row by row, alpha dropped (the layout of a PIL "RGB" image's bytes).</summary>
    public byte[] ToRgb()
    {
        var rgb = new byte[Width * Height * 3];
        for (int i = 0, o = 0; i < Pixels.Length; i += BytesPerPixel, o += 3)
        {
            rgb[o] = Pixels[i + 2];
            rgb[o + 1] = Pixels[i + 1];
            rgb[o + 2] = Pixels[i];
        }

        return rgb;
    }
}
