using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Halflife.Segmentation.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Segmentation.Worker;

/// <summary>
/// The queue-depth gauge: jobs queued or running, counted in the job table (the truth every instance shares, unlike
/// the broker's queue, which does not see a job that a worker is already running). The instrument is created once
/// per process on the shared Meter; each host (tests start several) adds its database while it runs.
/// </summary>
public sealed class QueueDepthGauge : IHostedService
{
    private static readonly ConcurrentDictionary<QueueDepthGauge, byte> Sources = new();
    private static readonly ObservableGauge<long> Gauge = SegmentationTelemetry.Meter.CreateObservableGauge(
        SegmentationTelemetry.SegmentationQueueDepthName, Observe, unit: "{job}", description: "Segmentation jobs queued or running.");

    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<QueueDepthGauge> _logger;

    public QueueDepthGauge(IServiceScopeFactory scopes, ILogger<QueueDepthGauge> logger)
    {
        _scopes = scopes;
        _logger = logger;
        _ = Gauge;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Sources.TryAdd(this, 0);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Sources.TryRemove(this, out _);
        return Task.CompletedTask;
    }

    /// <summary>Jobs queued or running in this host's database, or null when it cannot be read right now.</summary>
    public long? Count()
    {
        try
        {
            using var scope = _scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<SegmentationDbContext>();
            return db.Jobs.LongCount(j => j.State == JobState.Queued || j.State == JobState.Running);
        }
        catch (Exception e)
        {
            _logger.LogDebug(e, "Queue depth not available");
            return null;
        }
    }

    private static IEnumerable<Measurement<long>> Observe()
    {
        foreach (var source in Sources.Keys)
            if (source.Count() is { } count) yield return new Measurement<long>(count);
    }
}
