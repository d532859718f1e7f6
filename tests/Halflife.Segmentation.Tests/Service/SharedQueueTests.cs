using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Halflife.Contracts;
using Halflife.Models;
using Halflife.Segmentation.Jobs;
using Halflife.Segmentation.Worker;
using Halflife.ServiceDefaults.Hosting;
using Halflife.Slides;
using Halflife.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Segmentation.Tests.Service;

/// <summary>
/// Several Segmentation workers share the job queue across processes: two worker hosts (each its own bus connection
/// and consumer on the same RabbitMQ queue, as two pods) beside a host with Slides and the model registry, all on one
/// PostgreSQL job database and one S3 blob store. Every job runs exactly once, both workers take work, and a worker
/// stopped mid-job hands the job back to the other.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SharedQueueTests(SharedQueueFixture fixture) : IClassFixture<SharedQueueFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Jobs_submitted_at_once_each_run_exactly_once_and_both_workers_take_some()
    {
        await using var a = await fixture.StartWorkerAsync();
        await using var b = await fixture.StartWorkerAsync();
        var slide = await (await fixture.LibraryAsync()).UploadSlideAsync(ServiceFixture.Slide, a);
        using var spans = new JobSpans(slide);

        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            // Through either worker's API: both serve it from the shared job table.
            var api = i % 2 == 0 ? a : b;
            ids.Add((string)(await api.StartJobAsync(new { slideId = slide, model = ServiceFixture.HeModel }))["id"]!);
        }
        var jobs = new List<JsonObject>();
        foreach (var id in ids) jobs.Add(await a.WaitForStateAsync(id, "succeeded", "failed", "cancelled"));

        Assert.All(jobs, j => Assert.Equal("succeeded", (string?)j["state"]));
        var workers = jobs.Select(j => (string?)j["worker"]).ToList();
        Assert.All(workers, w => Assert.Contains(w, new[] { WorkerOf(a), WorkerOf(b) }));
        Assert.Contains(WorkerOf(a), workers);
        Assert.Contains(WorkerOf(b), workers);
        await AssertAnnouncedOnceAsync(ids);
        Assert.Equal(ids.Count, spans.Count);
    }

    [Fact]
    public async Task A_worker_stopped_mid_job_hands_it_back_and_the_other_worker_finishes_it()
    {
        await using var a = await fixture.StartWorkerAsync();
        await using var b = await fixture.StartWorkerAsync();
        var slide = await (await fixture.LibraryAsync()).UploadSlideAsync(ServiceFixture.Slide, a);
        using var spans = new JobSpans(slide);

        var id = (string)(await a.StartJobAsync(new { slideId = slide, model = ServiceFixture.FineModel }))["id"]!;
        var running = await SegmentationHost.PollAsync(async () =>
        {
            var job = await a.GetJobAsync(id);
            return (string?)job["state"] == "running" && (int)job["tilesDone"]! > 0 ? job : null;
        }, TimeSpan.FromSeconds(120), $"job {id} never made progress");
        var (holder, survivor) = (string?)running["worker"] == WorkerOf(a) ? (a, b) : (b, a);
        Assert.Equal(WorkerOf(holder), (string?)running["worker"]);

        var clock = Stopwatch.StartNew();
        var handedBack = WhenHandedBackAsync(survivor, id, WorkerOf(holder), clock);
        await holder.App.StopAsync(Ct);
        var stopped = clock.Elapsed;
        var done = await survivor.WaitForStateAsync(id, "succeeded", "failed", "cancelled");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"holder stopped in {stopped.TotalSeconds:0.0} s (job handed back {(await handedBack)?.TotalSeconds:0.0} s after the stop began) at {(int)running["tilesDone"]!}/{(int)running["tilesTotal"]!} tiles; the survivor finished it {clock.Elapsed.TotalSeconds:0.0} s after the stop began");

        Assert.Equal("succeeded", (string?)done["state"]);
        Assert.Equal(WorkerOf(survivor), (string?)done["worker"]);
        // The survivor claimed it anew (the lease here is far longer than the test, so only a hand-back frees it).
        Assert.True((DateTimeOffset)done["startedAt"]! > (DateTimeOffset)running["startedAt"]!, "the job was started again after the hand-back");
        Assert.Equal((int)done["tilesTotal"]!, (int)done["tilesDone"]!);
        await AssertAnnouncedOnceAsync([id]);
        Assert.Equal(2, spans.Count); // the interrupted run and the finished one
    }

    [Fact]
    public async Task A_second_delivery_of_a_job_another_worker_is_running_waits_for_it_and_does_not_run_it_again()
    {
        await using var a = await fixture.StartWorkerAsync();
        await using var b = await fixture.StartWorkerAsync();
        var slide = await (await fixture.LibraryAsync()).UploadSlideAsync(ServiceFixture.Slide, a);
        using var spans = new JobSpans(slide);

        var id = (string)(await a.StartJobAsync(new { slideId = slide, model = ServiceFixture.FineModel, region = new { x = 0, y = 0, width = 1500, height = 1500 } }))["id"]!;
        var running = await SegmentationHost.PollAsync(async () =>
        {
            var job = await a.GetJobAsync(id);
            return (string?)job["state"] == "running" && (int)job["tilesDone"]! > 0 ? job : null;
        }, TimeSpan.FromSeconds(120), $"job {id} never made progress");
        var (holder, other) = (string?)running["worker"] == WorkerOf(a) ? (a, b) : (b, a);

        // What a redelivery racing a live holder looks like (the broker redelivering after the holder's channel
        // closed, or a second outbox dispatcher publishing the same row): the same request under another message
        // id. The holder's one slot is busy, so the broker hands it to the other worker.
        SegmentationRequested request;
        await using (var scope = holder.App.Services.CreateAsyncScope())
        {
            var job = await scope.ServiceProvider.GetRequiredService<SegmentationDbContext>().Jobs.AsNoTracking().SingleAsync(j => j.Id == Guid.Parse(id), Ct);
            request = new SegmentationRequested(job.Id, job.SlideId, job.SlideBlobKey, job.ProjectId, job.ModelName, job.ModelVersion,
                job.RegionX, job.RegionY, job.RegionWidth, job.RegionHeight, job.RequestedBy, new DateTimeOffset(DateTime.SpecifyKind(job.CreatedAt, DateTimeKind.Utc)));
        }
        var duplicate = Guid.NewGuid();
        await other.App.Services.GetRequiredService<IBus>().Publish(request, c => c.MessageId = duplicate, Ct);

        var done = await other.WaitForStateAsync(id, "succeeded", "failed", "cancelled");
        Assert.Equal("succeeded", (string?)done["state"]);
        Assert.Equal(WorkerOf(holder), (string?)done["worker"]);
        // The other worker began on the duplicate while the job was still running and was done with it (the message
        // acknowledged and recorded) without running the job: one run, one announcement.
        var processed = await SegmentationHost.PollAsync(async () =>
        {
            await using var scope = other.App.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<SegmentationDbContext>().ProcessedMessages.AsNoTracking()
                .FirstOrDefaultAsync(p => p.MessageId == duplicate, Ct);
        }, TimeSpan.FromSeconds(30), "the other worker never finished with the duplicate request");
        Assert.True(processed.ProcessedAt < ((DateTimeOffset)done["finishedAt"]!).UtcDateTime,
            $"the duplicate was taken at {processed.ProcessedAt:O}, before the job finished at {(DateTimeOffset)done["finishedAt"]!:O}");
        await AssertAnnouncedOnceAsync([id]);
        Assert.Equal(1, spans.Count);
    }

    /// <summary>When (since the stop began) the job row first shows another worker than the holder, or none: the hand-back.</summary>
    private static async Task<TimeSpan?> WhenHandedBackAsync(SegmentationHost api, string id, string holder, Stopwatch clock)
    {
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            var job = await api.GetJobAsync(id);
            if ((string?)job["worker"] != holder) return clock.Elapsed;
            if ((string?)job["state"] is "succeeded" or "failed" or "cancelled") return null;
            await Task.Delay(50, Ct);
        }
        return null;
    }

    private static string WorkerOf(SegmentationHost host) => host.App.Services.GetRequiredService<WorkerIdentity>().Id;

    /// <summary>
    /// Exactly one SegmentationCompleted per job, succeeded: one announcement (one message id, i.e. one outbox row);
    /// a job run twice would announce twice under two ids. The outbox publishes at least once (every replica's
    /// dispatcher reads the shared outbox table), so the same announcement may be delivered more than once; consumers
    /// drop those by message id, and so does this count.
    /// </summary>
    private async Task AssertAnnouncedOnceAsync(IReadOnlyCollection<string> ids)
    {
        var announcements = (await fixture.LibraryAsync()).Announcements;
        await SegmentationHost.PollAsync(() => Task.FromResult(ids.All(id => announcements.Any(c => c.Message.JobId.ToString() == id)) ? "all" : null),
            TimeSpan.FromSeconds(30), "a SegmentationCompleted for every job");
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        foreach (var id in ids)
        {
            var delivered = announcements.Where(c => c.Message.JobId.ToString() == id).ToList();
            var announced = delivered.DistinctBy(c => c.MessageId).ToList();
            Assert.Single(announced);
            Assert.NotNull(announced[0].MessageId);
            Assert.Equal("succeeded", announced[0].Message.Outcome);
            if (delivered.Count > 1)
                TestContext.Current.TestOutputHelper?.WriteLine($"job {id}: one announcement delivered {delivered.Count} times (at-least-once outbox)");
        }
    }

    /// <summary>Counts the "segmentation job" spans of one slide: one per run of a job, however it ended.</summary>
    private sealed class JobSpans : IDisposable
    {
        private readonly ConcurrentQueue<Activity> _spans = new();
        private readonly ActivityListener _listener;

        public JobSpans(Guid slide)
        {
            var slideId = slide.ToString();
            _listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name == SegmentationTelemetry.SourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a =>
                {
                    if (a.OperationName == SegmentationTelemetry.JobActivityName && (string?)a.GetTagItem(SegmentationTelemetry.SlideIdAttribute) == slideId)
                        _spans.Enqueue(a);
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public int Count => _spans.Count;

        public void Dispose() => _listener.Dispose();
    }
}

/// <summary>
/// The distributed setting of one test class (RabbitMQ, PostgreSQL and S3 under a run id of its own, exactly as the
/// walking skeleton's distributed case) and the host with Slides and the model registry API, where the test models
/// are uploaded. Worker hosts are started per test.
/// </summary>
public sealed class SharedQueueFixture : IAsyncDisposable
{
    private readonly string _run = "seg" + Guid.NewGuid().ToString("N")[..10];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, string?>? _settings;
    private SegmentationHost? _library;

    /// <summary>
    /// The host with Slides and the registry, started by the first test that asks (inside a test, so that a missing
    /// server skips or, under CI, fails that test with TestServers' message).
    /// </summary>
    public async Task<SegmentationHost> LibraryAsync()
    {
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_library is not null) return _library;
            _settings = TestServers.DistributedSettings(_run);
            // Far longer than a test: a job can only change hands by a hand-back, never by a lapsed lease.
            _settings["Segmentation:ClaimLease"] = "00:10:00";
            var models = ServiceModels.Folder();
            var library = await SegmentationHost.StartAsync([new ModelsModule(), new SlidesModule()], _settings, captureCompleted: true);
            var sigmoid = Path.Combine(models, "nchw_rgb_range_sigmoid.onnx");
            await library.UploadModelAsync(sigmoid, ServiceFixture.SigmoidCard(ServiceFixture.HeModel, 64, 1.0));
            await library.UploadModelAsync(sigmoid, ServiceFixture.SigmoidCard(ServiceFixture.FineModel, 16, 0.5));
            return _library = library;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// How long a stopping worker lets its job go on before MassTransit cancels it and the job is handed back (the
    /// bus's stop timeout; 15 s in production). Short here so that the test job, whatever the machine's speed, cannot
    /// finish inside the drain and the hand-back is what is tested.
    /// </summary>
    public static readonly TimeSpan Drain = TimeSpan.FromSeconds(1);

    /// <summary>A Segmentation worker (API and consumer) of its own, as one pod of a scaled deployment.</summary>
    public async Task<SegmentationHost> StartWorkerAsync()
    {
        await LibraryAsync();
        return await SegmentationHost.StartAsync([new SegmentationModule()], _settings!, captureCompleted: false,
            builder => builder.Services.PostConfigure<MassTransitHostOptions>(o => o.StopTimeout = Drain));
    }

    public async ValueTask DisposeAsync()
    {
        if (_library is not null) await _library.DisposeAsync();
        _gate.Dispose();
    }
}
