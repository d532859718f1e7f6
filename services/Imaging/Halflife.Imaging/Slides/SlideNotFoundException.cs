namespace Halflife.Imaging.Slides;

/// <summary>No slide with this id (an HTTP layer answers 404).</summary>
public sealed class SlideNotFoundException(string slideId)
    : KeyNotFoundException($"No slide with id '{slideId}'.")
{
    public string SlideId { get; } = slideId;
}
