namespace Halflife.Segmentation;

/// <summary>Settings under "Segmentation" (docs/segmentation.md).</summary>
public sealed class SegmentationOptions
{
    public const string Section = "Segmentation";

    /// <summary>The shipped model, copied into the output and the images; seeds the registry on first start.</summary>
    public const string SeedFolder = "models/he-tumour-seg";

    /// <summary>Registry name of the model a job uses when the request names none.</summary>
    public string DefaultModel { get; set; } = "he-tumour-seg";

    /// <summary>Tiles per inference call.</summary>
    public int BatchSize { get; set; } = 8;

    /// <summary>
    /// Jobs one worker process runs at once. One job already keeps every core (or the GPU) busy with batched inference,
    /// so more workers, not more jobs per worker, is how throughput scales.
    /// </summary>
    public int ConcurrentJobs { get; set; } = 1;

    /// <summary>How often a running job writes its progress (and checks for a cancel) to the database.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often a running job publishes the low-resolution overview the lower overlay levels come from.</summary>
    public TimeSpan OverviewInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the progress stream (server-sent events) looks at the job row.</summary>
    public TimeSpan EventPollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// This worker's name on the jobs it runs (the job JSON's <c>worker</c>), so operators see which pod ran a job.
    /// Unset: "{machine}/{process id}/{random}", made once per process (a pod's machine name is its pod name).
    /// </summary>
    public string? WorkerId { get; set; }

    /// <summary>
    /// How long a running job may go without its row being touched before another worker may take it over. The
    /// worker running a job touches the row at least every quarter of this (a heartbeat beside the progress writes),
    /// so only a worker that died without handing the job back loses it.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Local copies of slides (OpenSlide needs a file) are evicted oldest-used-first beyond this size.</summary>
    public long SlideCacheBytes { get; set; } = 20L * 1024 * 1024 * 1024;
}
