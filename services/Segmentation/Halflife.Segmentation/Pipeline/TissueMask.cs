namespace Halflife.Segmentation.Pipeline;

/// <summary>
/// Where the slide has tissue, on a coarse grid (<see cref="ScaleX"/> level-0 pixels per cell). A summed-area table
/// answers "any tissue in this rectangle" in constant time per tile.
/// </summary>
internal sealed class TissueMask
{
    private readonly int[] integral; // (Width + 1) x (Height + 1)

    public TissueMask(bool[] tissue, int width, int height, double scaleX, double scaleY)
    {
        if (tissue.Length != width * height) throw new ArgumentException("Mask size mismatch.", nameof(tissue));
        Width = width;
        Height = height;
        ScaleX = scaleX;
        ScaleY = scaleY;
        integral = new int[(width + 1) * (height + 1)];
        for (var y = 0; y < height; y++)
        {
            var row = 0;
            for (var x = 0; x < width; x++)
            {
                row += tissue[(y * width) + x] ? 1 : 0;
                integral[((y + 1) * (width + 1)) + x + 1] = integral[(y * (width + 1)) + x + 1] + row;
            }
        }
    }

    public int Width { get; }

    public int Height { get; }

    public double ScaleX { get; }

    public double ScaleY { get; }

    /// <summary>Share of cells with tissue.</summary>
    public double TissueFraction => (double)integral[^1] / (Width * Height);

    /// <summary>Whether any tissue cell touches the level-0 rectangle.</summary>
    public bool AnyTissue(double x, double y, double width, double height)
    {
        var cx0 = Math.Clamp((int)Math.Floor(x / ScaleX), 0, Width);
        var cy0 = Math.Clamp((int)Math.Floor(y / ScaleY), 0, Height);
        var cx1 = Math.Clamp((int)Math.Ceiling((x + width) / ScaleX), 0, Width);
        var cy1 = Math.Clamp((int)Math.Ceiling((y + height) / ScaleY), 0, Height);
        if (cx1 <= cx0 || cy1 <= cy0) return false;
        var w = Width + 1;
        return integral[(cy1 * w) + cx1] - integral[(cy0 * w) + cx1] - integral[(cy1 * w) + cx0] + integral[(cy0 * w) + cx0] > 0;
    }
}
