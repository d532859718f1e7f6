using Halflife.Imaging.Slides;
using Halflife.Inference;
using Halflife.Models.Cards;

namespace Halflife.Segmentation.Pipeline;

// The seam between the job service and the compute pipeline (docs: helpers' SEGMENTATION-API.md, "Pipeline seam").

/// <summary>Level-0 rectangle of the slide.</summary>
public readonly record struct SlideRegion(long X, long Y, long Width, long Height);

public sealed record SegmentationRequest(
    WholeSlideImage Slide,
    ModelCard Card,
    InferenceSession Session,
    SlideRegion? Region = null,
    int BatchSize = 8);

/// <summary>What the plan found before inference starts.</summary>
/// <param name="OverlayWidth">Probability map width in model pixels (the map covers the whole slide).</param>
/// <param name="OverlayDownsample">Level-0 slide pixels per overlay pixel.</param>
/// <param name="Classes">In output channel order (index 0 = background for softmax models).</param>
public sealed record SegmentationPlan(
    int TilesTotal, int TilesSkipped, double SkippedFraction,
    int OverlayWidth, int OverlayHeight,
    double OverlayDownsample,
    IReadOnlyList<string> Classes);

/// <summary>
/// A finished, fully stitched 256x256 block of the probability map (edge blocks smaller). Blocks are final when
/// delivered (no later tile overlaps them). Probabilities are bytes 0..255, class-major:
/// Probabilities[c * Width * Height + y * Width + x].
/// </summary>
public sealed record ProbabilityBlock(int BlockColumn, int BlockRow, int Width, int Height, int ClassCount, byte[] Probabilities)
{
    /// <summary>Edge of a full block in overlay pixels.</summary>
    public const int Size = 256;
}

/// <summary>One contour of one class; <paramref name="Ring"/> is a closed ring in level-0 slide pixels.</summary>
public sealed record SegmentationPolygon(int ClassIndex, string ClassName, double Probability, IReadOnlyList<(double X, double Y)> Ring);

public sealed record SegmentationResult(
    SegmentationPlan Plan, int TilesInferred, IReadOnlyList<SegmentationPolygon> Polygons, IReadOnlyDictionary<string, TimeSpan> StageTimes);

/// <summary>Receives the pipeline's results as they become final (overlay tiles, progress).</summary>
public interface ISegmentationSink
{
    ValueTask OnPlannedAsync(SegmentationPlan plan, CancellationToken cancellationToken);

    ValueTask OnBlockAsync(ProbabilityBlock block, CancellationToken cancellationToken);

    ValueTask OnProgressAsync(int tilesDone, string stage, CancellationToken cancellationToken);
}

/// <summary>The model card cannot be run for segmentation; the message says why.</summary>
public sealed class ModelNotRunnableException(string message) : ArgumentException(message);
