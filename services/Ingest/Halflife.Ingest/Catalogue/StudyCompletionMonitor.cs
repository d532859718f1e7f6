using Halflife.Contracts;
using Halflife.Ingest.Storage;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Halflife.Ingest.Catalogue;

/// <summary>
/// DICOM has no "study is finished" message: a scanner just stops sending. A study with no new instance for the
/// quiet period is declared complete (StudyCompleted); a late instance reopens it and it completes again later.
/// </summary>
public sealed class StudyCompletionMonitor(IServiceScopeFactory scopes, IOptions<IngestOptions> options, ILogger<StudyCompletionMonitor> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var quiet = options.Value.StudyQuietPeriod;
        var interval = TimeSpan.FromTicks(Math.Clamp(quiet.Ticks / 4, TimeSpan.FromMilliseconds(200).Ticks, TimeSpan.FromSeconds(5).Ticks));
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                try
                {
                    await CompleteQuietStudiesAsync(quiet, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Checking for completed studies failed; will retry");
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CompleteQuietStudiesAsync(TimeSpan quiet, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IngestDbContext>();
        var cutoff = DateTime.UtcNow - quiet;
        var studies = await db.Studies.Where(s => s.CompletedAt == null && s.LastInstanceAt < cutoff)
            .OrderBy(s => s.LastInstanceAt).Take(100).ToListAsync(cancellationToken);
        if (studies.Count == 0) return;
        foreach (var study in studies)
        {
            var count = await db.Instances.CountAsync(i => i.Series!.StudyId == study.Id, cancellationToken);
            study.CompletedAt = DateTime.UtcNow;
            db.EnqueueEvent(new StudyCompleted(study.StudyInstanceUid, count, DateTimeOffset.UtcNow));
            logger.LogInformation("Study {Uid} complete with {Count} instance(s)", study.StudyInstanceUid, count);
        }
        await db.SaveChangesAsync(cancellationToken);
        scope.ServiceProvider.GetRequiredService<OutboxSignal<IngestDbContext>>().Notify();
    }
}
