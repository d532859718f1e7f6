using System.Diagnostics;
using System.Diagnostics.Metrics;
using Halflife.Contracts;
using Halflife.Restore.Derived;
using Halflife.Restore.Pipeline;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Halflife.Restore.Forwarding;

/// <summary>
/// Works off due forwarding jobs one at a time: claims a job (a lease, so replicas never send the same one at
/// once), C-STOREs it, and records the attempt. A transient failure is retried with exponential backoff up to
/// MaxAttempts; a permanent one (rejected association, a failure status the PACS will repeat) ends at once. Either
/// way the job stops as Failed with the reason, logged and visible through the API, never looping.
/// </summary>
public sealed partial class ForwardingWorker(
    IServiceScopeFactory scopes,
    PacsSender sender,
    ForwardingSignal signal,
    IOptions<RestoreOptions> options,
    ILogger<ForwardingWorker> logger) : BackgroundService
{
    public const string AttemptsCounterName = "halflife.restore.forwarding.attempts";
    private static readonly ActivitySource Activities = new("Halflife.Restore");
    private static readonly Meter Meter = new("Halflife.Restore");
    private static readonly Counter<long> Attempts = Meter.CreateCounter<long>(AttemptsCounterName, unit: "{attempt}",
        description: "C-STORE attempts to the configured PACS, by outcome (stored, retry, failed).");
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private ForwardingOptions Settings => options.Value.Forwarding;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await ProcessNextAsync(stoppingToken)) { }
                await signal.WaitAsync(Settings.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Forwarding round failed; trying again");
                await Task.Delay(Settings.PollInterval, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
    }

    /// <summary>Handles one due job; false when none is due.</summary>
    private async Task<bool> ProcessNextAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RestoreDbContext>();
        var now = DateTime.UtcNow;
        var id = await db.ForwardingJobs
            .Where(j => j.Status == ForwardingStatus.Pending && j.NextAttemptAt <= now && (j.LeaseUntil == null || j.LeaseUntil < now))
            .OrderBy(j => j.NextAttemptAt).Select(j => (Guid?)j.Id).FirstOrDefaultAsync(cancellationToken);
        if (id is null) return false;
        DateTime? leaseUntil = now + Lease;
        var claimed = await db.ForwardingJobs
            .Where(j => j.Id == id && j.Status == ForwardingStatus.Pending && (j.LeaseUntil == null || j.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseUntil, leaseUntil), cancellationToken);
        if (claimed == 0) return true; // another replica took it; look for the next one

        var job = await db.ForwardingJobs.FirstAsync(j => j.Id == id, cancellationToken);
        using var activity = job.TraceParent is { } parent && ActivityContext.TryParse(parent, null, out var context)
            ? Activities.StartActivity("restore forward", ActivityKind.Producer, context)
            : Activities.StartActivity("restore forward", ActivityKind.Producer);
        activity?.SetTag("dicom.sop_instance_uid", job.SopInstanceUid);
        activity?.SetTag("dicom.called_ae", job.CalledAeTitle);
        activity?.SetTag("halflife.forwarding.attempt", job.Attempts + 1);

        var outcome = await sender.SendAsync(job, Settings.Timeout, cancellationToken);
        job.Attempts++;
        job.LastStatusCode = outcome.StatusCode;
        job.LastError = outcome.Error;
        job.LeaseUntil = null;
        var finished = DateTime.UtcNow;
        if (outcome.Stored)
        {
            job.Status = ForwardingStatus.Succeeded;
            job.CompletedAt = finished;
            db.EnqueueEvent(new InstanceForwarded(job.SopInstanceUid, job.CalledAeTitle, (ushort)(outcome.StatusCode ?? 0), new DateTimeOffset(finished)));
            Attempts.Add(1, new KeyValuePair<string, object?>("outcome", "stored"));
            LogStored(job.SopInstanceUid, job.CalledAeTitle, job.Host, job.Port, job.Attempts);
        }
        else if (outcome.Permanent || job.Attempts >= Settings.MaxAttempts)
        {
            job.Status = ForwardingStatus.Failed;
            job.CompletedAt = finished;
            activity?.SetStatus(ActivityStatusCode.Error, outcome.Error);
            Attempts.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
            LogFailed(job.SopInstanceUid, job.CalledAeTitle, job.Host, job.Port, job.Attempts,
                outcome.Permanent ? "permanent failure" : "attempts exhausted", outcome.Error);
        }
        else
        {
            job.NextAttemptAt = finished + Settings.BackoffAfter(job.Attempts);
            activity?.SetStatus(ActivityStatusCode.Error, outcome.Error);
            Attempts.Add(1, new KeyValuePair<string, object?>("outcome", "retry"));
            LogRetry(job.SopInstanceUid, job.CalledAeTitle, job.Attempts, Settings.MaxAttempts, job.NextAttemptAt, outcome.Error);
        }
        await db.SaveChangesAsync(cancellationToken);
        if (outcome.Stored) scope.ServiceProvider.GetRequiredService<OutboxSignal<RestoreDbContext>>().Notify();
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Forwarded {Uid} to {Ae} at {Host}:{Port} (attempt {Attempt})")]
    private partial void LogStored(string uid, string ae, string host, int port, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding {Uid} to {Ae} failed (attempt {Attempt} of {Max}); next attempt at {Next:o}: {Error}")]
    private partial void LogRetry(string uid, string ae, int attempt, int max, DateTime next, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Forwarding {Uid} to {Ae} at {Host}:{Port} FAILED for good after {Attempts} attempt(s) ({Why}): {Error}. POST /api/restore/derived/{{id}}/forward queues it again.")]
    private partial void LogFailed(string uid, string ae, string host, int port, int attempts, string why, string? error);
}
