using System.Collections.Concurrent;
using System.Diagnostics;

namespace Halflife.Segmentation.Pipeline;

/// <summary>Wall time per pipeline stage, summed over batches (stages overlap: read and preprocess run beside inference).</summary>
internal sealed class StageClock
{
    public const string Tissue = "tissue detection";
    public const string Read = "read tiles";
    public const string Preprocess = "preprocess";
    public const string Inference = "inference";
    public const string Stitch = "stitch";
    public const string Contours = "contours";
    public const string Total = "total";

    private readonly ConcurrentDictionary<string, long> ticks = new();

    /// <summary>Times the returned scope into <paramref name="stage"/> and traces it as <paramref name="activityName"/> when given.</summary>
    public Scope Measure(string stage, string? activityName = null, int? batchSize = null)
    {
        var activity = activityName is null ? null : SegmentationTelemetry.ActivitySource.StartActivity(activityName);
        if (batchSize is { } size) activity?.SetTag(SegmentationTelemetry.BatchSizeAttribute, size);
        return new Scope(this, stage, activity, Stopwatch.GetTimestamp());
    }

    public IReadOnlyDictionary<string, TimeSpan> Snapshot() =>
        ticks.ToDictionary(p => p.Key, p => Stopwatch.GetElapsedTime(0, p.Value));

    public readonly struct Scope(StageClock clock, string stage, Activity? activity, long started) : IDisposable
    {
        public void Dispose()
        {
            var elapsed = Stopwatch.GetTimestamp() - started;
            clock.ticks.AddOrUpdate(stage, elapsed, (_, total) => total + elapsed);
            activity?.Dispose();
        }
    }
}
