using System.Diagnostics;
using Halflife.Contracts;
using Halflife.Imaging.Slides;
using Halflife.Segmentation.Jobs;
using Halflife.Segmentation.Overlay;
using Halflife.Segmentation.Pipeline;
using Halflife.Segmentation.Slides;
using Halflife.ServiceDefaults.Persistence.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Halflife.Segmentation.Worker;

/// <summary>
/// Runs one queued job: claims the row, opens the slide and the model version it names, runs the pipeline with a
/// sink that stores the overlay and progress, then writes the contours and the final state, and (in the same
/// transaction, through the outbox) announces SegmentationCompleted. Several workers share the queue; each takes
/// one job at a time. A cancelled job ends in "cancelled" and announces nothing.
/// </summary>
public sealed class SegmentationRequestedConsumer(
    SegmentationDbContext db,
    SegmentationModels models,
    SlideFileCache slides,
    SegmentationRunner runner,
    OverlayBlobs blobs,
    OutboxSignal<SegmentationDbContext> outbox,
    WorkerIdentity worker,
    IServiceScopeFactory scopes,
    IOptions<SegmentationOptions> options,
    ILogger<SegmentationRequestedConsumer> logger) : IConsumer<SegmentationRequested>
{
    public async Task Consume(ConsumeContext<SegmentationRequested> context)
    {
        var message = context.Message;
        var shutdown = context.CancellationToken;
        if (!await db.TryBeginProcessingAsync(context, nameof(SegmentationRequestedConsumer))) return;
        var job = await db.Jobs.FirstOrDefaultAsync(j => j.Id == message.JobId, shutdown);
        if (job is null || job.IsFinished || !await ClaimAsync(job.Id, shutdown))
        {
            // Cancelled while queued, run by another worker meanwhile, or a job this database never had: nothing to run.
            await db.SaveChangesAsync(shutdown);
            return;
        }

        // A child of the consume span, which MassTransit continued from the POST's trace through the outbox.
        using var activity = SegmentationTelemetry.ActivitySource.StartActivity(SegmentationTelemetry.JobActivityName);
        activity?.SetTag(SegmentationTelemetry.SlideIdAttribute, message.SlideId.ToString());
        activity?.SetTag(SegmentationTelemetry.ModelNameAttribute, message.ModelName);
        activity?.SetTag(SegmentationTelemetry.ModelVersionAttribute, message.ModelVersion);
        var clock = Stopwatch.StartNew();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        await using var lease = JobLease.Start(scopes, job.Id, worker.Id, options.Value.ClaimLease, cancel, logger);
        JobSink? sink = null;
        var state = JobState.Failed;
        string? error = null;
        SegmentationResult? result = null;
        string? contoursKey = null;
        try
        {
            using var model = await models.AcquireAsync(message.ModelName, message.ModelVersion, shutdown);
            var path = await slides.EnsureAsync(message.SlideBlobKey, shutdown);
            using var slide = WholeSlideImage.Open(path);
            var softmax = model.Card.Outputs.FirstOrDefault()?.Activation?.Equals("softmax", StringComparison.OrdinalIgnoreCase) == true;
            sink = new JobSink(job.Id, db, blobs, options.Value, softmax, activity, cancel);
            var region = message.RegionWidth is { } w && message.RegionHeight is { } h
                ? new SlideRegion(message.RegionX ?? 0, message.RegionY ?? 0, w, h)
                : (SlideRegion?)null;
            result = await runner.RunAsync(new SegmentationRequest(slide, model.Card, model.Session, region, Math.Max(1, options.Value.BatchSize)),
                sink, cancel.Token);
            await sink.CompleteAsync(shutdown);
            contoursKey = OverlayBlobs.ContoursKey(job.Id);
            using (SegmentationTelemetry.ActivitySource.StartActivity(SegmentationTelemetry.StoreActivityName))
            {
                var document = ContourDocument.Write(result.Polygons, sink.Classes, message, slide.Dimensions.Width, slide.Dimensions.Height);
                await blobs.PutAsync(contoursKey, document, "application/geo+json", shutdown);
            }
            state = JobState.Succeeded;
        }
        catch (OperationCanceledException) when (sink?.CancelRequested == true && !shutdown.IsCancellationRequested)
        {
            state = JobState.Cancelled;
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            // The worker is stopping: hand the job back so the redelivered message runs it again elsewhere.
            await lease.DisposeAsync();
            if (await JobClaim.HandBackAsync(db, job.Id, worker.Id, CancellationToken.None))
                logger.LogInformation("Worker {Worker} is stopping: segmentation job {Job} handed back to the queue", worker.Id, job.Id);
            throw;
        }
        catch (OperationCanceledException) when (lease.Lost)
        {
            // Another worker took the job over; it writes the outcome. The message is done here.
            await db.SaveChangesAsync(CancellationToken.None);
            return;
        }
        catch (Exception e)
        {
            // Model not runnable, slide gone or unreadable, inference error: retrying the same input fails the same way.
            logger.LogError(e, "Segmentation job {Job} of slide {Slide} failed", job.Id, message.SlideId);
            error = e.Message;
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
        }

        await lease.DisposeAsync();
        await db.Entry(job).ReloadAsync(CancellationToken.None);
        if (job.State != JobState.Running || job.WorkerId != worker.Id)
        {
            logger.LogWarning("Segmentation job {Job} was taken over by worker {Other} while worker {Worker} ran it; this run's outcome ({State}) is dropped",
                job.Id, job.WorkerId, worker.Id, state);
            await db.SaveChangesAsync(CancellationToken.None);
            return;
        }
        var finishedAt = DateTime.UtcNow;
        job.State = state;
        job.Stage = state.ToString().ToLowerInvariant();
        job.Error = error;
        job.FinishedAt = finishedAt;
        job.UpdatedAt = finishedAt;
        if (sink is not null) job.TilesDone = Math.Max(job.TilesDone, sink.TilesDone);
        if (result is not null)
        {
            // The pipeline counts skipped background tiles as done: a finished job has done them all.
            job.TilesDone = result.TilesInferred + result.Plan.TilesSkipped;
            job.PolygonCount = result.Polygons.Count;
            job.ContoursBlobKey = contoursKey;
        }
        if (state != JobState.Cancelled)
            db.EnqueueEvent(new SegmentationCompleted(job.Id, job.SlideId, job.ModelName, job.ModelVersion, job.Stage, error,
                job.ContoursBlobKey, job.PolygonCount, new DateTimeOffset(finishedAt)));
        try
        {
            // WorkerId is a concurrency token: this UPDATE (and with it the event) only lands while the job is still ours.
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogWarning("Segmentation job {Job} was taken over by another worker just before worker {Worker} wrote its outcome; dropped",
                job.Id, worker.Id);
            return;
        }
        outbox.Notify();

        SegmentationTelemetry.JobDuration.Record(clock.Elapsed.TotalSeconds,
            new KeyValuePair<string, object?>(SegmentationTelemetry.ModelTag, message.ModelName),
            new KeyValuePair<string, object?>(SegmentationTelemetry.OutcomeTag, job.Stage));
        logger.LogInformation("Segmentation job {Job} of slide {Slide} {State} in {Seconds:0.0} s ({Polygons} polygons)",
            job.Id, message.SlideId, job.Stage, clock.Elapsed.TotalSeconds, job.PolygonCount);
    }

    /// <summary>
    /// Takes the job, or waits while another live worker runs it (a redelivery that raced it): until that worker
    /// ends the job (nothing to do) or stops renewing its lease (it died; take over). Acknowledging at once instead
    /// would lose the job when its holder then dies, since the broker has no other copy of the message.
    /// </summary>
    private async Task<bool> ClaimAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var lease = options.Value.ClaimLease;
        var waiting = false;
        while (true)
        {
            switch (await JobClaim.TryClaimAsync(db, jobId, worker.Id, lease, cancellationToken))
            {
                case ClaimOutcome.Claimed:
                    return true;
                case ClaimOutcome.Ended:
                    return false;
            }
            if (!waiting)
            {
                var holder = await db.Jobs.AsNoTracking().Where(j => j.Id == jobId).Select(j => new { j.WorkerId, j.UpdatedAt }).FirstOrDefaultAsync(cancellationToken);
                logger.LogWarning("Segmentation job {Job} was delivered to worker {Worker} while worker {Holder} runs it (last touched {UpdatedAt:O}); not starting it twice: waiting until it ends or its {Lease} lease lapses",
                    jobId, worker.Id, holder?.WorkerId, holder?.UpdatedAt, lease);
                waiting = true;
            }
            await Task.Delay(JobClaim.RecheckInterval(lease), cancellationToken);
        }
    }
}
