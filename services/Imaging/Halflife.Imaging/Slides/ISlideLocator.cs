namespace Halflife.Imaging.Slides;

/// <summary>
/// Maps a slide id to a local file OpenSlide can open. The catalogue (Ingest) owns slide ids;
/// OpenSlide needs a real file path (multi-file formats such as MIRAX even need their sibling folder),
/// so a blob-store deployment implements this by materialising the slide on local disk.
/// </summary>
public interface ISlideLocator
{
    /// <summary>The slide's file path, or null when there is no such slide.</summary>
    string? FindSlidePath(string slideId);
}

/// <summary>Slides as files in one folder; the id is the file name without its extension.</summary>
public sealed class DirectorySlideLocator : ISlideLocator
{
    private readonly string _root;

    public DirectorySlideLocator(string root)
    {
        _root = Path.GetFullPath(root);
        if (!Directory.Exists(_root))
        {
            throw new DirectoryNotFoundException($"Slide folder '{_root}' does not exist.");
        }
    }

    public string? FindSlidePath(string slideId)
    {
        // Ids become file names: anything that could walk out of the folder is simply not a slide.
        if (string.IsNullOrEmpty(slideId) || slideId.Length > 200 || slideId.StartsWith('.')
            || slideId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            return null;
        }

        return Directory.EnumerateFiles(_root, slideId + ".*", SearchOption.TopDirectoryOnly)
            .Where(f => Path.GetFileNameWithoutExtension(f) == slideId)
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
    }
}
