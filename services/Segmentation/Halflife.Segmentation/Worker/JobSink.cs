using System.Diagnostics;
using Halflife.Segmentation.Jobs;
using Halflife.Segmentation.Overlay;
using Halflife.Segmentation.Pipeline;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Segmentation.Worker;

/// <summary>
/// Where a running job's results go as the pipeline produces them: each probability block into the blob store (the
/// overlay's top level), a pooled overview for the lower levels (published every <see cref="SegmentationOptions.OverviewInterval"/>),
/// and progress into the job row (every <see cref="SegmentationOptions.ProgressInterval"/>), which is also where a
/// cancel request is noticed. Calls are serialised: the job's DbContext is not thread-safe.
/// </summary>
public sealed class JobSink(
    Guid jobId, SegmentationDbContext db, OverlayBlobs blobs, SegmentationOptions options, bool softmax, Activity? jobActivity,
    CancellationTokenSource cancel) : ISegmentationSink
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<OverlayClass> _classes = [];
    private OverlayGeometry _geometry;
    private PooledTile? _overview;
    private bool _overviewDirty;
    private int _overviewVersion;
    private long _lastOverview;
    private long _lastProgress;
    private int _tilesDone;
    private string _stage = "planned";

    /// <summary>True once the job row asked for a cancel and the sink cancelled the run.</summary>
    public bool CancelRequested { get; private set; }

    public SegmentationPlan? Plan { get; private set; }

    /// <summary>The foreground classes of the plan (empty before it).</summary>
    public IReadOnlyList<OverlayClass> Classes => _classes;

    public int TilesDone => _tilesDone;

    public async ValueTask OnPlannedAsync(SegmentationPlan plan, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            Plan = plan;
            _classes = OverlayClass.Foreground(plan.Classes, softmax);
            _geometry = new OverlayGeometry(plan.OverlayWidth, plan.OverlayHeight);
            _overview = new PooledTile(_geometry.OverviewWidth, _geometry.OverviewHeight);
            jobActivity?.SetTag(SegmentationTelemetry.TilesTotalAttribute, plan.TilesTotal);
            jobActivity?.SetTag(SegmentationTelemetry.TilesSkippedAttribute, plan.TilesSkipped);
            var classes = OverlayClass.ToJson(_classes);
            var now = DateTime.UtcNow;
            await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.TilesTotal, plan.TilesTotal)
                .SetProperty(j => j.TilesSkipped, plan.TilesSkipped)
                .SetProperty(j => j.SkippedFraction, plan.SkippedFraction)
                .SetProperty(j => j.OverlayWidth, plan.OverlayWidth)
                .SetProperty(j => j.OverlayHeight, plan.OverlayHeight)
                .SetProperty(j => j.OverlayDownsample, plan.OverlayDownsample)
                .SetProperty(j => j.ClassesJson, classes)
                .SetProperty(j => j.ClassCount, plan.Classes.Count)
                .SetProperty(j => j.Stage, _stage)
                .SetProperty(j => j.UpdatedAt, now), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask OnBlockAsync(ProbabilityBlock block, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using (SegmentationTelemetry.ActivitySource.StartActivity(SegmentationTelemetry.StoreActivityName))
                await blobs.PutBlockAsync(jobId, block, cancellationToken);
            if (_overview is not null)
            {
                _overview.Add(block, _classes, 0, 0, _geometry.OverviewShift);
                _overviewDirty = true;
            }
            if (Elapsed(_lastOverview) >= options.OverviewInterval) await PublishOverviewAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask OnProgressAsync(int tilesDone, string stage, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _tilesDone = tilesDone;
            _stage = stage;
            if (Elapsed(_lastProgress) >= options.ProgressInterval) await WriteProgressAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Publishes the last overview and progress; called once the pipeline returned (before the job's final state).</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await PublishOverviewAsync(cancellationToken);
            await WriteProgressAsync(cancellationToken);
            if (_overviewVersion > 0) await blobs.DeleteOverviewsBeforeAsync(jobId, _overviewVersion, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task PublishOverviewAsync(CancellationToken cancellationToken)
    {
        _lastOverview = Stopwatch.GetTimestamp();
        if (_overview is null || !_overviewDirty) return;
        var version = _overviewVersion + 1;
        using (SegmentationTelemetry.ActivitySource.StartActivity(SegmentationTelemetry.StoreActivityName))
            await blobs.PutOverviewAsync(jobId, version, _overview, _geometry.OverviewShift, cancellationToken);
        _overviewVersion = version;
        _overviewDirty = false;
        var now = DateTime.UtcNow;
        await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.OverviewVersion, version)
            .SetProperty(j => j.UpdatedAt, now), cancellationToken);
    }

    private async Task WriteProgressAsync(CancellationToken cancellationToken)
    {
        _lastProgress = Stopwatch.GetTimestamp();
        var now = DateTime.UtcNow;
        var (done, stage) = (_tilesDone, _stage);
        await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.TilesDone, done)
            .SetProperty(j => j.Stage, stage)
            .SetProperty(j => j.UpdatedAt, now), cancellationToken);
        // The cancel endpoint may run in another instance: the row is the only place it can tell this worker.
        if (await db.Jobs.AsNoTracking().Where(j => j.Id == jobId).Select(j => j.CancelRequested).FirstOrDefaultAsync(cancellationToken))
        {
            CancelRequested = true;
            await cancel.CancelAsync();
        }
    }

    private static TimeSpan Elapsed(long since) => since == 0 ? TimeSpan.MaxValue : Stopwatch.GetElapsedTime(since);
}
