using Halflife.Segmentation.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Segmentation.Worker;

/// <summary>What a worker found when it tried to take a job.</summary>
public enum ClaimOutcome
{
    /// <summary>The row is now Running under this worker.</summary>
    Claimed,
    /// <summary>Another worker runs it and touched it within the lease: leave it alone (for now).</summary>
    HeldElsewhere,
    /// <summary>Finished, cancelled or gone: nothing to run.</summary>
    Ended,
}

/// <summary>
/// The rules by which the workers sharing the queue take, keep and give back a job, each one a single conditional
/// UPDATE on the job row so that two workers can never both win. A queued job goes to whoever claims it first. A
/// running job is taken over only when its lease has lapsed (no write for <see cref="SegmentationOptions.ClaimLease"/>),
/// which is what a redelivered message finds when its worker died; a redelivery that races a live worker (a closed
/// channel, a broker's consumer timeout) must not start the job a second time.
/// </summary>
public static class JobClaim
{
    public static async Task<ClaimOutcome> TryClaimAsync(SegmentationDbContext db, Guid jobId, string workerId, TimeSpan lease,
        CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        var staleBefore = now - lease;
        var claimed = await db.Jobs
            .Where(j => j.Id == jobId && !j.CancelRequested
                && (j.State == JobState.Queued || (j.State == JobState.Running && j.UpdatedAt < staleBefore)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.State, JobState.Running)
                .SetProperty(j => j.WorkerId, workerId)
                .SetProperty(j => j.StartedAt, now)
                .SetProperty(j => j.Stage, "starting")
                .SetProperty(j => j.UpdatedAt, now), cancellationToken);
        if (claimed > 0) return ClaimOutcome.Claimed;

        var row = await db.Jobs.AsNoTracking().Where(j => j.Id == jobId)
            .Select(j => new { j.State, j.CancelRequested }).FirstOrDefaultAsync(cancellationToken);
        if (row is null || row.State is not (JobState.Queued or JobState.Running)) return ClaimOutcome.Ended;
        if (!row.CancelRequested) return ClaimOutcome.HeldElsewhere;
        // Cancel was asked of a worker that then died: nobody else will ever write the final state, so the first
        // worker to find its lease lapsed does. While the holder lives, it writes "cancelled" itself.
        var cancelled = await db.Jobs.Where(j => j.Id == jobId && j.State == JobState.Running && j.UpdatedAt < staleBefore)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Cancelled).SetProperty(j => j.Stage, "cancelled")
                .SetProperty(j => j.FinishedAt, now).SetProperty(j => j.UpdatedAt, now), cancellationToken);
        return cancelled > 0 ? ClaimOutcome.Ended : ClaimOutcome.HeldElsewhere;
    }

    /// <summary>Refreshes this worker's lease; false when it no longer holds the job (taken over, or no longer running).</summary>
    public static async Task<bool> RenewAsync(SegmentationDbContext db, Guid jobId, string workerId, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        return await db.Jobs.Where(j => j.Id == jobId && j.State == JobState.Running && j.WorkerId == workerId)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.UpdatedAt, now), cancellationToken) > 0;
    }

    /// <summary>
    /// Puts a job this worker holds back to queued, without a worker, so that the redelivered message can run it
    /// anywhere at once (no lease to wait for). A job another worker has taken over meanwhile is left alone.
    /// </summary>
    public static async Task<bool> HandBackAsync(SegmentationDbContext db, Guid jobId, string workerId, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        return await db.Jobs.Where(j => j.Id == jobId && j.State == JobState.Running && j.WorkerId == workerId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.State, JobState.Queued)
                .SetProperty(j => j.Stage, "requeued")
                .SetProperty(j => j.WorkerId, (string?)null)
                .SetProperty(j => j.UpdatedAt, now), cancellationToken) > 0;
    }

    /// <summary>How often the holder renews its lease: a quarter of the lease.</summary>
    public static TimeSpan RenewInterval(TimeSpan lease) =>
        TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, lease.Ticks / 4));

    /// <summary>
    /// How often a worker that found the job held elsewhere looks again: at most a second, so that its slot is free
    /// soon after the holder ends the job (one primary-key read a second is nothing to the database).
    /// </summary>
    public static TimeSpan RecheckInterval(TimeSpan lease) =>
        TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, RenewInterval(lease).Ticks));
}
