namespace Halflife.Imaging.Slides;

/// <summary>Width and height in pixels; 64-bit because level-0 sizes of whole slides exceed 2^31 pixels in total.</summary>
public readonly record struct SlideSize(long Width, long Height);

/// <summary>A rectangle in level-0 pixel coordinates (the non-empty scan area, openslide.bounds-*).</summary>
public readonly record struct SlideBounds(long X, long Y, long Width, long Height);
