namespace Halflife.Segmentation.Pipeline;

/// <summary>Runs a segmentation model over a whole slide (register as singleton).</summary>
public sealed class SegmentationRunner
{
    /// <exception cref="ModelNotRunnableException">The card cannot be run for segmentation.</exception>
    public Task<SegmentationResult> RunAsync(SegmentationRequest request, ISegmentationSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sink);
        throw new NotImplementedException("The segmentation pipeline is being written (SEG-CORE).");
    }
}
