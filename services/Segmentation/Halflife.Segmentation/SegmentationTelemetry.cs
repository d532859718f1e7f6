using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Halflife.Segmentation;

/// <summary>
/// The names under which whole-slide segmentation is traced and measured (docs/observability.md; the dashboards and
/// the deployment tests resolve the constants by name, so they must stay unique across the repository). The runner
/// (Pipeline) emits the stage spans and the tiles counter; the job worker emits the job span, the job duration and
/// the queue depth.
/// </summary>
public static class SegmentationTelemetry
{
    /// <summary>ActivitySource and Meter name: subscribe to this in OpenTelemetry.</summary>
    public const string SourceName = "Halflife.Segmentation";

    public const string JobActivityName = "segmentation job";
    public const string ReadTilesActivityName = "segmentation read tiles";
    public const string PreprocessActivityName = "segmentation preprocess";
    public const string InferenceActivityName = "segmentation inference";
    public const string StitchActivityName = "segmentation stitch";
    public const string StoreActivityName = "segmentation store";

    /// <summary>Counter of tiles, unit {tile}, tagged <see cref="OutcomeTag"/> = inferred | skipped.</summary>
    public const string SegmentationTilesName = "halflife.segmentation.tiles";

    /// <summary>Histogram of whole-job wall time, unit s, tagged <see cref="ModelTag"/> and <see cref="OutcomeTag"/>.</summary>
    public const string SegmentationJobDurationName = "halflife.segmentation.job.duration";

    /// <summary>Observable gauge of jobs queued or running, unit {job}; created by the job service with its callback.</summary>
    public const string SegmentationQueueDepthName = "halflife.segmentation.queue.depth";

    public const string OutcomeTag = "outcome";
    public const string ModelTag = "model";
    public const string OutcomeInferred = "inferred";
    public const string OutcomeSkipped = "skipped";

    public const string SlideIdAttribute = "slide.id";
    public const string ModelNameAttribute = "model.name";
    public const string ModelVersionAttribute = "model.version";
    public const string TilesTotalAttribute = "tiles.total";
    public const string TilesSkippedAttribute = "tiles.skipped";
    public const string BatchSizeAttribute = "batch.size";

    public static readonly ActivitySource ActivitySource = new(SourceName);

    public static readonly Meter Meter = new(SourceName);

    public static readonly Counter<long> Tiles = Meter.CreateCounter<long>(
        SegmentationTilesName, unit: "{tile}", description: "Slide tiles handled by segmentation, by outcome (inferred or skipped as background).");

    public static readonly Histogram<double> JobDuration = Meter.CreateHistogram<double>(
        SegmentationJobDurationName, unit: "s", description: "Wall time of one whole-slide segmentation job, by model and outcome.");
}
