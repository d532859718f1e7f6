using Halflife.Segmentation.Jobs;
using Halflife.Segmentation.Worker;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Segmentation.Tests.Worker;

/// <summary>
/// The claim rules of workers sharing the job queue, on a migrated SQLite job table (the migrations, the new WorkerId
/// column included, are what runs): who may take a job, when a running job may be taken over, hand-back, and the
/// final write that only lands while the job is still the writer's.
/// </summary>
public sealed class JobClaimTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"halflife-seg-claim-{Guid.NewGuid():N}.db");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await using var db = Open();
        await db.Database.MigrateAsync(Ct);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_queued_job_goes_to_the_first_worker_that_claims_it_and_to_no_other()
    {
        var id = await AddJobAsync(JobState.Queued);
        await using var a = Open();
        await using var b = Open();

        Assert.Equal(ClaimOutcome.Claimed, await JobClaim.TryClaimAsync(a, id, "worker-a", Lease, Ct));
        Assert.Equal(ClaimOutcome.HeldElsewhere, await JobClaim.TryClaimAsync(b, id, "worker-b", Lease, Ct));

        var job = await ReadAsync(id);
        Assert.Equal(JobState.Running, job.State);
        Assert.Equal("worker-a", job.WorkerId);
        Assert.Equal("starting", job.Stage);
        Assert.NotNull(job.StartedAt);
    }

    [Fact]
    public async Task A_running_job_whose_holder_touched_it_within_the_lease_is_not_taken_over()
    {
        var touched = DateTime.UtcNow.AddSeconds(-100);
        var id = await AddJobAsync(JobState.Running, "worker-a", touched);
        await using var b = Open();

        Assert.Equal(ClaimOutcome.HeldElsewhere, await JobClaim.TryClaimAsync(b, id, "worker-b", Lease, Ct));

        var job = await ReadAsync(id);
        Assert.Equal("worker-a", job.WorkerId);
        Assert.Equal(touched, job.UpdatedAt, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task A_running_job_whose_lease_lapsed_is_taken_over_and_its_old_holder_can_no_longer_renew_it()
    {
        var id = await AddJobAsync(JobState.Running, "worker-a", DateTime.UtcNow - Lease - TimeSpan.FromSeconds(5));
        await using var a = Open();
        await using var b = Open();

        Assert.Equal(ClaimOutcome.Claimed, await JobClaim.TryClaimAsync(b, id, "worker-b", Lease, Ct));
        Assert.False(await JobClaim.RenewAsync(a, id, "worker-a", Ct));
        Assert.True(await JobClaim.RenewAsync(b, id, "worker-b", Ct));

        var job = await ReadAsync(id);
        Assert.Equal(JobState.Running, job.State);
        Assert.Equal("worker-b", job.WorkerId);
        Assert.True(job.UpdatedAt > DateTime.UtcNow.AddSeconds(-10), "the new holder's claim and renewal refreshed the lease");
    }

    [Fact]
    public async Task Renewing_keeps_a_job_that_would_otherwise_have_lapsed()
    {
        var id = await AddJobAsync(JobState.Running, "worker-a", DateTime.UtcNow - Lease - TimeSpan.FromSeconds(5));
        await using var a = Open();
        await using var b = Open();

        Assert.True(await JobClaim.RenewAsync(a, id, "worker-a", Ct));
        Assert.Equal(ClaimOutcome.HeldElsewhere, await JobClaim.TryClaimAsync(b, id, "worker-b", Lease, Ct));
        Assert.Equal("worker-a", (await ReadAsync(id)).WorkerId);
    }

    [Fact]
    public async Task Handing_back_clears_the_worker_and_frees_the_job_at_once_but_only_for_its_holder()
    {
        var id = await AddJobAsync(JobState.Queued);
        await using var a = Open();
        await using var b = Open();
        Assert.Equal(ClaimOutcome.Claimed, await JobClaim.TryClaimAsync(a, id, "worker-a", Lease, Ct));

        Assert.False(await JobClaim.HandBackAsync(b, id, "worker-b", Ct));
        Assert.Equal("worker-a", (await ReadAsync(id)).WorkerId);

        Assert.True(await JobClaim.HandBackAsync(a, id, "worker-a", Ct));
        var handedBack = await ReadAsync(id);
        Assert.Equal(JobState.Queued, handedBack.State);
        Assert.Equal("requeued", handedBack.Stage);
        Assert.Null(handedBack.WorkerId);

        // No lease to wait for: the redelivered message runs it on the next worker straight away.
        Assert.Equal(ClaimOutcome.Claimed, await JobClaim.TryClaimAsync(b, id, "worker-b", Lease, Ct));
        Assert.Equal("worker-b", (await ReadAsync(id)).WorkerId);
    }

    [Theory]
    [InlineData(JobState.Succeeded)]
    [InlineData(JobState.Failed)]
    [InlineData(JobState.Cancelled)]
    public async Task A_finished_job_is_never_claimed(JobState state)
    {
        var id = await AddJobAsync(state, "worker-a", DateTime.UtcNow.AddHours(-1));
        await using var b = Open();

        Assert.Equal(ClaimOutcome.Ended, await JobClaim.TryClaimAsync(b, id, "worker-b", Lease, Ct));
        Assert.Equal(ClaimOutcome.Ended, await JobClaim.TryClaimAsync(b, Guid.NewGuid(), "worker-b", Lease, Ct));
        var job = await ReadAsync(id);
        Assert.Equal(state, job.State);
        Assert.Equal("worker-a", job.WorkerId);
    }

    [Fact]
    public async Task A_cancel_asked_of_a_live_holder_is_left_to_it_and_of_a_dead_one_is_finished_by_the_next_worker()
    {
        var live = await AddJobAsync(JobState.Running, "worker-a", DateTime.UtcNow, cancelRequested: true);
        var dead = await AddJobAsync(JobState.Running, "worker-a", DateTime.UtcNow - Lease - TimeSpan.FromSeconds(5), cancelRequested: true);
        await using var b = Open();

        Assert.Equal(ClaimOutcome.HeldElsewhere, await JobClaim.TryClaimAsync(b, live, "worker-b", Lease, Ct));
        Assert.Equal(JobState.Running, (await ReadAsync(live)).State);

        Assert.Equal(ClaimOutcome.Ended, await JobClaim.TryClaimAsync(b, dead, "worker-b", Lease, Ct));
        var cancelled = await ReadAsync(dead);
        Assert.Equal(JobState.Cancelled, cancelled.State);
        Assert.NotNull(cancelled.FinishedAt);
    }

    [Fact]
    public async Task The_final_write_of_a_worker_whose_job_was_taken_over_does_not_land()
    {
        var id = await AddJobAsync(JobState.Queued);
        await using var a = Open();
        await using var b = Open();
        Assert.Equal(ClaimOutcome.Claimed, await JobClaim.TryClaimAsync(a, id, "worker-a", Lease, Ct));
        var mine = await a.Jobs.SingleAsync(j => j.Id == id, Ct);
        // Worker a stalls past its lease; worker b takes the job over.
        await b.Jobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s.SetProperty(j => j.UpdatedAt, DateTime.UtcNow - Lease - TimeSpan.FromSeconds(1)), Ct);
        Assert.Equal(ClaimOutcome.Claimed, await JobClaim.TryClaimAsync(b, id, "worker-b", Lease, Ct));

        mine.State = JobState.Succeeded;
        mine.FinishedAt = DateTime.UtcNow;
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => a.SaveChangesAsync(Ct));

        var job = await ReadAsync(id);
        Assert.Equal(JobState.Running, job.State);
        Assert.Equal("worker-b", job.WorkerId);
    }

    [Fact]
    public void The_worker_id_is_the_setting_or_else_machine_process_and_a_random_part_unique_per_instance()
    {
        Assert.Equal("seg-worker-0", new WorkerIdentity("  seg-worker-0 ").Id);
        var first = new WorkerIdentity((string?)null).Id;
        var second = new WorkerIdentity("").Id;
        Assert.StartsWith($"{Environment.MachineName}/{Environment.ProcessId}/", first);
        Assert.NotEqual(first, second);
        Assert.Throws<ArgumentException>(() => new WorkerIdentity(new string('w', WorkerIdentity.MaxLength + 1)));
    }

    private SegmentationDbContext Open() =>
        new(new DbContextOptionsBuilder<SegmentationDbContext>().UseSqlite($"Data Source={_file};Default Timeout=30").Options);

    private async Task<Guid> AddJobAsync(JobState state, string? worker = null, DateTime? updatedAt = null, bool cancelRequested = false)
    {
        await using var db = Open();
        var now = DateTime.UtcNow;
        var job = new SegmentationJob
        {
            Id = Guid.CreateVersion7(), SlideId = Guid.NewGuid(), SlideBlobKey = "slides/x.svs", ModelName = "m", ModelVersion = "1.0.0",
            State = state, Stage = state.ToString().ToLowerInvariant(), WorkerId = worker, CancelRequested = cancelRequested,
            RequestedBy = "test", CreatedAt = now, UpdatedAt = updatedAt ?? now,
        };
        db.Jobs.Add(job);
        await db.SaveChangesAsync(Ct);
        return job.Id;
    }

    private async Task<SegmentationJob> ReadAsync(Guid id)
    {
        await using var db = Open();
        return await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id, Ct);
    }
}
