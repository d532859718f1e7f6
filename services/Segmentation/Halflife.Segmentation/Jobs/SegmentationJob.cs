namespace Halflife.Segmentation.Jobs;

/// <summary>The lifecycle of a job; stored as its lower-case name.</summary>
public enum JobState { Queued, Running, Succeeded, Failed, Cancelled }

/// <summary>
/// One segmentation of one slide with one model version. The row is the single source of truth for progress, so any
/// instance can answer status, the event stream and overlay tiles while another instance's worker runs the job.
/// </summary>
public sealed class SegmentationJob
{
    public Guid Id { get; set; }
    public Guid SlideId { get; set; }
    /// <summary>The slide's project, copied at request time: every job route is scoped by it.</summary>
    public string? ProjectId { get; set; }
    public string SlideBlobKey { get; set; } = "";
    public string ModelName { get; set; } = "";
    public string ModelVersion { get; set; } = "";
    public long? RegionX { get; set; }
    public long? RegionY { get; set; }
    public long? RegionWidth { get; set; }
    public long? RegionHeight { get; set; }
    public JobState State { get; set; }
    public string? Stage { get; set; }
    public int TilesTotal { get; set; }
    public int TilesDone { get; set; }
    public int TilesSkipped { get; set; }
    public double SkippedFraction { get; set; }
    public int OverlayWidth { get; set; }
    public int OverlayHeight { get; set; }
    public double OverlayDownsample { get; set; }
    /// <summary>JSON array of the foreground classes: [{index, name, color}] (index = output channel).</summary>
    public string ClassesJson { get; set; } = "[]";
    /// <summary>Output channels per probability block (background included).</summary>
    public int ClassCount { get; set; }
    /// <summary>Bumped each time the worker publishes a newer overview; 0 = none yet.</summary>
    public int OverviewVersion { get; set; }
    public int PolygonCount { get; set; }
    public string? ContoursBlobKey { get; set; }
    public bool CancelRequested { get; set; }
    public string? Error { get; set; }
    public string RequestedBy { get; set; } = "";
    /// <summary>The worker that holds (or last held) the job: set by its claim, cleared when it hands the job back.</summary>
    public string? WorkerId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    /// <summary>Any change to the row; the event stream sends progress when it moves.</summary>
    public DateTime UpdatedAt { get; set; }

    public bool IsFinished => State is JobState.Succeeded or JobState.Failed or JobState.Cancelled;
}

/// <summary>
/// A slide as the Slides service announced it (SlideUploaded), with what OpenSlide reported when this service first
/// read it. The Segmentation service keeps its own copy instead of querying the Slides database (services never share
/// a schema), which works the same embedded and as separate processes.
/// </summary>
public sealed class KnownSlide
{
    public Guid SlideId { get; set; }
    public string Name { get; set; } = "";
    public string BlobKey { get; set; } = "";
    public string? ProjectId { get; set; }
    public long Width { get; set; }
    public long Height { get; set; }
    public double? MppX { get; set; }
    public double? MppY { get; set; }
    public DateTime UploadedAt { get; set; }
}
