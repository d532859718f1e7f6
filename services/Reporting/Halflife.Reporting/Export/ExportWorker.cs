using System.Threading.Channels;
using Halflife.Reporting.Data;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Reporting.Export;

/// <summary>Exports run one at a time in the background; jobs left queued or running by a stopped process run again.</summary>
public sealed class ExportWorker(IServiceScopeFactory scopes, ExportJobRunner runner, ILogger<ExportWorker> logger) : BackgroundService
{
    private readonly Channel<Guid> _queue = Channel.CreateUnbounded<Guid>();

    public void Enqueue(Guid jobId) => _queue.Writer.TryWrite(jobId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ReportingDbContext>();
                var unfinished = await db.ExportJobs.AsNoTracking().Where(j => j.State == ExportState.Queued || j.State == ExportState.Running)
                    .OrderBy(j => j.CreatedAt).Select(j => j.Id).ToListAsync(stoppingToken);
                foreach (var id in unfinished) Enqueue(id);
            }
            await foreach (var id in _queue.Reader.ReadAllAsync(stoppingToken))
                await runner.RunAsync(id, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // The schema may not exist yet when the host stops during start-up; anything else is logged.
            logger.LogError(e, "Export worker stopped");
        }
    }
}
