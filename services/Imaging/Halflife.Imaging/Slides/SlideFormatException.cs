namespace Halflife.Imaging.Slides;

/// <summary>
/// A slide file that OpenSlide does not recognise, cannot open, or fails to decode. OpenSlide
/// puts a handle into a permanent error state after the first failure, so once thrown for a
/// handle every later call on that slide throws again.
/// </summary>
public sealed class SlideFormatException : Exception
{
    public SlideFormatException(string path, string message)
        : base($"Slide '{Path.GetFileName(path)}': {message}")
    {
        SlidePath = path;
    }

    public string SlidePath { get; }
}
