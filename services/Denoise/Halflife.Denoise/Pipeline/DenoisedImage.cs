namespace Halflife.Denoise.Pipeline;

/// <summary>The denoised frames of one instance in counts (rescale applied), in the original frame order.</summary>
public sealed record DenoisedImage(int Width, int Height, IReadOnlyList<float[]> Frames);
