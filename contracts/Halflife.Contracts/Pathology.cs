namespace Halflife.Contracts;

/// <summary>A whole-slide image finished uploading and passed its checksum.</summary>
public sealed record SlideUploaded(
    Guid SlideId,
    string Name,
    string BlobKey,
    long SizeBytes,
    string? ProjectId,
    DateTimeOffset UploadedAt);

/// <summary>A user asked for an AI segmentation of a slide (optionally a region of it).</summary>
public sealed record SegmentationRequested(
    Guid JobId,
    Guid SlideId,
    string ModelName,
    int? RegionX,
    int? RegionY,
    int? RegionWidth,
    int? RegionHeight,
    string RequestedBy,
    DateTimeOffset RequestedAt);

public sealed record SegmentationProgress(
    Guid JobId,
    int TilesDone,
    int TilesTotal,
    int TilesSkipped,
    string Stage,
    DateTimeOffset At);

public sealed record SegmentationCompleted(
    Guid JobId,
    Guid SlideId,
    string ModelName,
    string ModelVersion,
    string Outcome,
    string? Error,
    DateTimeOffset CompletedAt);
