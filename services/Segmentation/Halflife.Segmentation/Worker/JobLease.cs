using Halflife.Segmentation.Jobs;

namespace Halflife.Segmentation.Worker;

/// <summary>
/// Keeps a claimed job's lease fresh while it runs, also through the quiet stretches before the pipeline reports
/// anything (model load, copying a large slide from the blob store, tissue detection). It uses its own DbContext
/// (the job's is busy and not thread-safe). When a renewal finds the job no longer ours (another worker took it
/// over after a stall longer than the lease) it cancels the run, so the job does not go on twice.
/// </summary>
public sealed class JobLease : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _disposed;

    private JobLease(IServiceScopeFactory scopes, Guid jobId, string workerId, TimeSpan lease, CancellationTokenSource run, ILogger logger)
    {
        _loop = RenewUntilStoppedAsync(scopes, jobId, workerId, lease, run, logger);
    }

    /// <summary>True once a renewal found that this worker no longer holds the job (the run was cancelled).</summary>
    public bool Lost { get; private set; }

    public static JobLease Start(IServiceScopeFactory scopes, Guid jobId, string workerId, TimeSpan lease, CancellationTokenSource run, ILogger logger) =>
        new(scopes, jobId, workerId, lease, run, logger);

    private async Task RenewUntilStoppedAsync(IServiceScopeFactory scopes, Guid jobId, string workerId, TimeSpan lease,
        CancellationTokenSource run, ILogger logger)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(JobClaim.RenewInterval(lease));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<SegmentationDbContext>();
                    if (await JobClaim.RenewAsync(db, jobId, workerId, _stop.Token)) continue;
                    Lost = true;
                    logger.LogWarning("Segmentation job {Job} is no longer held by worker {Worker} (its lease lapsed and another worker took it over, or it ended); stopping this run",
                        jobId, workerId);
                    await run.CancelAsync();
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A database hiccup: the next tick tries again; the lease is four ticks long.
                    logger.LogWarning(e, "Could not renew the lease of segmentation job {Job}", jobId);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Stops renewing (before the final write, or before handing the job back); safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
