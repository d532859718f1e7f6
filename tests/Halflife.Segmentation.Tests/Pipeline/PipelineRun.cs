using Halflife.Segmentation.Pipeline;

namespace Halflife.Segmentation.Tests.Pipeline;

internal static class PipelineRun
{
    public static async Task<(SegmentationResult Result, RecordingSink Sink)> RunAsync(
        ITileSource source, ITileModel model, SlideRegion? region = null, int batchSize = 4, RecordingSink? sink = null, CancellationToken cancellationToken = default)
    {
        sink ??= new RecordingSink();
        var result = await new SegmentationRunner().RunAsync(source, model, region, batchSize, sink, cancellationToken);
        return (result, sink);
    }

    public static double Saturation((byte R, byte G, byte B) c)
    {
        int max = Math.Max(c.R, Math.Max(c.G, c.B)), min = Math.Min(c.R, Math.Min(c.G, c.B));
        return max == 0 ? 0 : (max - min) / (double)max;
    }
}
