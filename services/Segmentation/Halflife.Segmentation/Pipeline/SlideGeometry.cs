namespace Halflife.Segmentation.Pipeline;

/// <summary>
/// The probability map's grid: one overlay pixel per model pixel, <see cref="Downsample"/> level-0 pixels each,
/// covering the whole slide; <see cref="RegionX"/>.. is the part to compute, in overlay pixels.
/// </summary>
internal sealed record SlideGeometry(
    long SlideWidth, long SlideHeight, double Downsample, int Width, int Height,
    int RegionX, int RegionY, int RegionWidth, int RegionHeight, bool AssumedResolution)
{
    /// <summary>Bounds the overlay (and so the tile count): 2^30 overlay pixels is a 32k x 32k map.</summary>
    public const long MaxOverlayPixels = 1L << 30;

    public static SlideGeometry Create((long Width, long Height) slide, double? slideMpp, double? modelMpp, SlideRegion? region)
    {
        if (slide.Width <= 0 || slide.Height <= 0)
            throw new ArgumentException($"The slide is empty ({slide.Width}x{slide.Height}).", nameof(slide));
        // Without a resolution on one side the model runs at level 0: the best guess, reported as assumed.
        var assumed = slideMpp is not > 0 || modelMpp is not > 0;
        var downsample = assumed ? 1.0 : modelMpp!.Value / slideMpp!.Value;
        var width = (long)Math.Ceiling(slide.Width / downsample);
        var height = (long)Math.Ceiling(slide.Height / downsample);
        if (width * height > MaxOverlayPixels)
            throw new ArgumentException($"The probability map would be {width}x{height} pixels at {modelMpp} µm/px; the limit is {MaxOverlayPixels} pixels.");

        long x0 = 0, y0 = 0, x1 = slide.Width, y1 = slide.Height;
        if (region is { } r)
        {
            if (r.Width <= 0 || r.Height <= 0)
                throw new ArgumentException($"The region {r.Width}x{r.Height} is empty.", nameof(region));
            x0 = Math.Max(0, r.X);
            y0 = Math.Max(0, r.Y);
            x1 = Math.Min(slide.Width, r.X + r.Width);
            y1 = Math.Min(slide.Height, r.Y + r.Height);
            if (x1 <= x0 || y1 <= y0)
                throw new ArgumentException($"The region ({r.X},{r.Y} {r.Width}x{r.Height}) lies outside the {slide.Width}x{slide.Height} slide.", nameof(region));
        }

        var rx0 = (int)Math.Floor(x0 / downsample);
        var ry0 = (int)Math.Floor(y0 / downsample);
        var rx1 = (int)Math.Min(width, Math.Ceiling(x1 / downsample));
        var ry1 = (int)Math.Min(height, Math.Ceiling(y1 / downsample));
        return new SlideGeometry(slide.Width, slide.Height, downsample, (int)width, (int)height,
            rx0, ry0, Math.Max(1, rx1 - rx0), Math.Max(1, ry1 - ry0), assumed);
    }
}
