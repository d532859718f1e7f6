namespace Halflife.Slides.Upload;

/// <summary>
/// Recognises the container by its first bytes, never by the uploader's file name. Aperio SVS and Hamamatsu NDPI
/// are TIFF variants, so the TIFF and BigTIFF byte-order marks are what OpenSlide 3.4 can be handed here.
/// </summary>
public static class SlideFileSniffer
{
    public static bool IsTiff(ReadOnlySpan<byte> head) =>
        head.Length >= 4 && (
            (head[0] == 'I' && head[1] == 'I' && (head[2] == 42 || head[2] == 43) && head[3] == 0) ||
            (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43)));

    public static bool IsTiffFile(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && IsTiff(head);
    }

    /// <summary>The extension the stored copy gets (OpenSlide's vendor detection reads content, the extension is cosmetic).</summary>
    public static string ExtensionFor(string fileName)
    {
        var ext = Path.GetExtension(fileName).ToLowerInvariant();
        return ext is ".svs" or ".ndpi" or ".tif" or ".tiff" ? ext : ".tiff";
    }
}
