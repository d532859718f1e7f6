namespace Halflife.Dicom;

/// <summary>Limits and shortcuts for reading; the defaults accept any valid file and refuse absurd ones.</summary>
public sealed class DicomReadOptions
{
    public static DicomReadOptions Default { get; } = new();

    /// <summary>Reads everything before Pixel Data and stops: enough for indexing, without touching the image.</summary>
    public static DicomReadOptions StopAtPixelData { get; } = new() { StopBeforeTag = DicomTag.PixelData };

    /// <summary>Top-level elements at or after this tag are not read.</summary>
    public DicomTag? StopBeforeTag { get; init; }

    /// <summary>Sequences nested deeper than this are refused (real files rarely exceed 5).</summary>
    public int MaxNestingDepth { get; init; } = 64;

    /// <summary>Largest single value (or fragment) accepted, in bytes.</summary>
    public long MaxValueLength { get; init; } = Array.MaxLength;

    /// <summary>Largest inflated size of a deflated data set, against deflate bombs.</summary>
    public long MaxInflatedLength { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Checked between elements, so a caller can bound the time a read may take.</summary>
    public CancellationToken CancellationToken { get; init; }
}
