using System.Collections.Concurrent;
using Halflife.Segmentation.Pipeline;

namespace Halflife.Segmentation.Tests.Pipeline;

/// <summary>Keeps what the pipeline delivers and assembles the blocks into whole maps.</summary>
internal sealed class RecordingSink : ISegmentationSink
{
    public SegmentationPlan? Plan { get; private set; }

    public List<ProbabilityBlock> Blocks { get; } = [];

    /// <summary>Tiles done when each block arrived (progressive delivery).</summary>
    public List<int> TilesDoneAtBlock { get; } = [];

    public List<(int TilesDone, string Stage)> Progress { get; } = [];

    public ConcurrentBag<int> Threads { get; } = [];

    public Func<int, CancellationToken, ValueTask>? OnProgress { get; init; }

    public ValueTask OnPlannedAsync(SegmentationPlan plan, CancellationToken cancellationToken)
    {
        Assert.Null(Plan);
        Plan = plan;
        return ValueTask.CompletedTask;
    }

    public ValueTask OnBlockAsync(ProbabilityBlock block, CancellationToken cancellationToken)
    {
        Assert.NotNull(Plan);
        Blocks.Add(block);
        TilesDoneAtBlock.Add(Progress.Count == 0 ? 0 : Progress[^1].TilesDone);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnProgressAsync(int tilesDone, string stage, CancellationToken cancellationToken)
    {
        Progress.Add((tilesDone, stage));
        return OnProgress?.Invoke(tilesDone, cancellationToken) ?? ValueTask.CompletedTask;
    }

    /// <summary>Class <paramref name="c"/>'s map over the whole overlay (0..255); -1 where no block arrived.</summary>
    public int[] Map(int c)
    {
        var plan = Plan!;
        var map = new int[plan.OverlayWidth * plan.OverlayHeight];
        Array.Fill(map, -1);
        foreach (var b in Blocks)
            for (var y = 0; y < b.Height; y++)
                for (var x = 0; x < b.Width; x++)
                {
                    var at = (((b.BlockRow * ProbabilityBlock.Size) + y) * plan.OverlayWidth) + (b.BlockColumn * ProbabilityBlock.Size) + x;
                    map[at] = b.Probabilities[(c * b.Width * b.Height) + (y * b.Width) + x];
                }

        return map;
    }
}
