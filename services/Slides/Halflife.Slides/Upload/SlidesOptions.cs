namespace Halflife.Slides.Upload;

public sealed class SlidesOptions
{
    public const string Section = "Slides";
    /// <summary>Largest slide accepted (whole file).</summary>
    public long MaxSlideBytes { get; set; } = 20L * 1024 * 1024 * 1024;
    /// <summary>Largest chunk one PUT may carry; bounds the time one request holds the upload's file.</summary>
    public long MaxChunkBytes { get; set; } = 64L * 1024 * 1024;
    /// <summary>Largest body of the single-request upload (POST /api/slides); larger slides use resumable uploads.</summary>
    public long MaxSingleRequestBytes { get; set; } = 1024L * 1024 * 1024;
    /// <summary>An upload with no new bytes for this long is deleted with its temp file.</summary>
    public TimeSpan UploadExpiry { get; set; } = TimeSpan.FromDays(3);
    /// <summary>Local copies of slides for OpenSlide (it needs a file path), evicted oldest-first beyond this.</summary>
    public long SlideCacheBytes { get; set; } = 50L * 1024 * 1024 * 1024;
    /// <summary>Encoded tiles kept in memory.</summary>
    public long TileCacheBytes { get; set; } = 256L * 1024 * 1024;
}
