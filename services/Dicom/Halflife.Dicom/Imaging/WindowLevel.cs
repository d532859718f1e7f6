namespace Halflife.Dicom.Imaging;

/// <summary>
/// A VOI window (PS3.3 C.11.2.1.2) in rescaled units (after Rescale Slope/Intercept): the center and width of the
/// value range that is spread over black to white.
/// </summary>
public readonly record struct WindowLevel(double Center, double Width)
{
    /// <exception cref="ArgumentOutOfRangeException">The width is not a positive finite number.</exception>
    public static WindowLevel Create(double center, double width)
    {
        if (!double.IsFinite(center))
            throw new ArgumentOutOfRangeException(nameof(center), center, "The window center must be a finite number.");
        if (!double.IsFinite(width) || width < 1)
            throw new ArgumentOutOfRangeException(nameof(width), width, "The window width must be a finite number of at least 1.");
        return new WindowLevel(center, width);
    }

    /// <summary>The linear VOI function of PS3.3 C.11.2.1.2.1 mapped onto 0..255.</summary>
    public byte Map(double value)
    {
        var lower = Center - 0.5 - (Width - 1) / 2;
        var upper = Center - 0.5 + (Width - 1) / 2;
        if (value <= lower) return 0;
        if (value > upper) return 255;
        return (byte)Math.Clamp(Math.Round(((value - (Center - 0.5)) / (Width - 1) + 0.5) * 255), 0, 255);
    }
}
