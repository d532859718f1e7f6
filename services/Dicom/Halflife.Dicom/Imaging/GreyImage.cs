namespace Halflife.Dicom.Imaging;

/// <summary>An 8-bit greyscale picture, row by row, ready to be shown or encoded (Halflife.Imaging's PngEncoder.EncodeGrey8).</summary>
public sealed class GreyImage
{
    public GreyImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != (long)width * height)
            throw new ArgumentException($"{pixels.Length} pixels do not make a {width}x{height} image.", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }

    /// <summary>The window that produced this picture.</summary>
    public WindowLevel Window { get; init; }
}
