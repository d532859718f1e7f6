using Halflife.Imaging;

namespace Halflife.Segmentation.Pipeline;

/// <summary>Where tiles come from: a whole-slide image (<see cref="SlideTileSource"/>) or, in tests, a synthetic one.</summary>
internal interface ITileSource
{
    /// <summary>Level-0 width and height.</summary>
    (long Width, long Height) Dimensions { get; }

    /// <summary>Level-0 microns per pixel; null when the scanner did not record it.</summary>
    double? MicronsPerPixel { get; }

    /// <summary>An opaque picture of the whole slide no larger than the given size (aspect kept).</summary>
    Bgra32Image ReadThumbnail(int maxWidth, int maxHeight);

    /// <summary>
    /// Fills <paramref name="bgra"/> with the opaque square tile whose top-left corner is at overlay pixel
    /// (<paramref name="x"/>, <paramref name="y"/>), <paramref name="size"/> pixels wide, where one overlay pixel is
    /// <paramref name="downsample"/> level-0 pixels. Areas outside the slide are its background colour.
    /// </summary>
    void ReadTile(long x, long y, int size, double downsample, byte[] bgra);
}
