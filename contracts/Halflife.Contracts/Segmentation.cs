namespace Halflife.Contracts;

// Whole-slide AI segmentation (docs/segmentation.md). The job's row, progress and overlay live in the Segmentation
// service; these events hand the work to a worker and the result to the Slides service's "AI" annotation layer.

/// <summary>
/// A user asked for an AI segmentation of a slide (optionally a level-0 region of it): the command a Segmentation
/// worker picks up from the shared queue. The slide's blob key travels with it, so a worker needs no catalogue.
/// </summary>
public sealed record SegmentationRequested(
    Guid JobId,
    Guid SlideId,
    string SlideBlobKey,
    string? ProjectId,
    string ModelName,
    string ModelVersion,
    long? RegionX,
    long? RegionY,
    long? RegionWidth,
    long? RegionHeight,
    string RequestedBy,
    DateTimeOffset RequestedAt);

/// <summary>
/// A segmentation job ended with <see cref="Outcome"/> "succeeded" or "failed" (a cancelled job announces nothing).
/// The contours are a GeoJSON FeatureCollection in the blob store (<see cref="ContoursBlobKey"/>, level-0 slide
/// pixels, one Feature per polygon with properties class, probability, model, modelVersion, jobId, status), never on
/// the bus: a whole slide can hold thousands of polygons.
/// </summary>
public sealed record SegmentationCompleted(
    Guid JobId,
    Guid SlideId,
    string ModelName,
    string ModelVersion,
    string Outcome,
    string? Error,
    string? ContoursBlobKey,
    int PolygonCount,
    DateTimeOffset CompletedAt);
