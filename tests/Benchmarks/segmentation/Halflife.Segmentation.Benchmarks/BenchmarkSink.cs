using System.Diagnostics;
using Halflife.Segmentation.Pipeline;

namespace Halflife.Segmentation.Benchmarks;

/// <summary>Times the first overlay block (what the viewer can show first) and the whole run.</summary>
internal sealed class BenchmarkSink : ISegmentationSink
{
    private readonly long started = Stopwatch.GetTimestamp();
    private int skipped = -1;
    private int tilesDone;

    public double FirstBlockSeconds { get; private set; } = double.NaN;

    /// <summary>The first block holding model output (not only background from skipped tiles).</summary>
    public double FirstInferredBlockSeconds { get; private set; } = double.NaN;

    public double Seconds { get; private set; }

    public ValueTask OnPlannedAsync(SegmentationPlan plan, CancellationToken cancellationToken)
    {
        skipped = plan.TilesSkipped;
        return ValueTask.CompletedTask;
    }

    public ValueTask OnBlockAsync(ProbabilityBlock block, CancellationToken cancellationToken)
    {
        var now = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (double.IsNaN(FirstBlockSeconds)) FirstBlockSeconds = now;
        if (double.IsNaN(FirstInferredBlockSeconds) && tilesDone > skipped) FirstInferredBlockSeconds = now;
        return ValueTask.CompletedTask;
    }

    public ValueTask OnProgressAsync(int tilesDone, string stage, CancellationToken cancellationToken)
    {
        this.tilesDone = tilesDone;
        return ValueTask.CompletedTask;
    }

    /// <summary>Processor time of the whole process during the run (all threads): the work, whatever the machine's load.</summary>
    public double CpuSeconds { get; private set; }

    public void Finish(double cpuSeconds)
    {
        Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        CpuSeconds = cpuSeconds;
    }
}
