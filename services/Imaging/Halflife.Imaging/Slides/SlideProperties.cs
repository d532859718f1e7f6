using System.Globalization;

namespace Halflife.Imaging.Slides;

/// <summary>
/// All of a slide's OpenSlide properties (vendor-specific ones included, e.g. "aperio.AppMag")
/// plus typed access to the standard "openslide.*" names.
/// </summary>
public sealed class SlideProperties
{
    public const string Vendor = "openslide.vendor";
    public const string Comment = "openslide.comment";
    public const string MppX = "openslide.mpp-x";
    public const string MppY = "openslide.mpp-y";
    public const string ObjectivePower = "openslide.objective-power";
    public const string BackgroundColor = "openslide.background-color";
    public const string BoundsX = "openslide.bounds-x";
    public const string BoundsY = "openslide.bounds-y";
    public const string BoundsWidth = "openslide.bounds-width";
    public const string BoundsHeight = "openslide.bounds-height";
    public const string QuickHash = "openslide.quickhash-1";

    public SlideProperties(IReadOnlyDictionary<string, string> all)
    {
        All = all;
    }

    public IReadOnlyDictionary<string, string> All { get; }

    public string? this[string name] => All.TryGetValue(name, out var value) ? value : null;

    public string? VendorName => this[Vendor];

    public string? CommentText => this[Comment];

    /// <summary>Microns per pixel at level 0 along x; null when the scanner did not record it.</summary>
    public double? MicronsPerPixelX => ParseDouble(MppX);

    public double? MicronsPerPixelY => ParseDouble(MppY);

    public double? Objective => ParseDouble(ObjectivePower);

    /// <summary>The scan's background as RGB, white when unspecified (as openslide-python assumes).</summary>
    public (byte R, byte G, byte B) Background
    {
        get
        {
            var hex = this[BackgroundColor];
            if (hex is { Length: 6 } && int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb))
            {
                return ((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
            }

            return (255, 255, 255);
        }
    }

    /// <summary>The non-empty region of level 0, or null when the format does not report one.</summary>
    public SlideBounds? Bounds
    {
        get
        {
            var x = ParseLong(BoundsX);
            var y = ParseLong(BoundsY);
            var w = ParseLong(BoundsWidth);
            var h = ParseLong(BoundsHeight);
            return x is null && y is null && w is null && h is null
                ? null
                : new SlideBounds(x ?? 0, y ?? 0, w ?? 0, h ?? 0);
        }
    }

    internal long? ParseLong(string name) =>
        long.TryParse(this[name], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private double? ParseDouble(string name) =>
        double.TryParse(this[name], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
