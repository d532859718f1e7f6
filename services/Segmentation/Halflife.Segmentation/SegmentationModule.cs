using Halflife.Models;
using Halflife.Models.Registry;
using Halflife.Segmentation.Api;
using Halflife.Segmentation.Jobs;
using Halflife.Segmentation.Overlay;
using Halflife.Segmentation.Pipeline;
using Halflife.Segmentation.Slides;
using Halflife.Segmentation.Worker;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Messaging;
using Halflife.ServiceDefaults.Persistence;
using MassTransit;

namespace Halflife.Segmentation;

/// <summary>Segmentation: AI segmentation of whole-slide images as jobs, with a progressive overlay and an AI annotation layer.</summary>
public sealed class SegmentationModule : IServiceModule
{
    public string Name => "segmentation";

    public void Add(WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SegmentationOptions.Section);
        builder.Services.Configure<SegmentationOptions>(section);
        var settings = section.Get<SegmentationOptions>() ?? new SegmentationOptions();
        // The shipped model seeds the registry on first start. An installation without it (a build that left the
        // weights out) still starts: jobs then need an uploaded model, and a start-up log line says so.
        if (ShippedModelFolder() is not null) builder.AddModelSeed(SegmentationOptions.SeedFolder);
        else
        {
            builder.AddModelRegistry();
            builder.Services.AddSingleton<IStartupTask, MissingSeedWarning>();
        }
        builder.AddServiceDatabase<SegmentationDbContext>(Name);
        builder.Services.AddSingleton<WorkerIdentity>();
        builder.Services.AddSingleton<SegmentationRunner>();
        builder.Services.AddSingleton<SegmentationModels>();
        builder.Services.AddSingleton<SlideFileCache>();
        builder.Services.AddSingleton<OverlayBlobs>();
        builder.Services.AddSingleton<OverlayTiles>();
        builder.Services.AddHostedService<QueueDepthGauge>();
        builder.AddConsumers(bus =>
        {
            bus.AddConsumer<SegmentationRequestedConsumer>(c =>
            {
                // One job at a time per worker (a job already uses every core or the GPU), and no message held
                // back in a worker's prefetch while another worker is idle.
                c.ConcurrentMessageLimit = Math.Max(1, settings.ConcurrentJobs);
            }).Endpoint(e =>
            {
                e.PrefetchCount = Math.Max(1, settings.ConcurrentJobs);
                e.ConcurrentMessageLimit = Math.Max(1, settings.ConcurrentJobs);
            });
            bus.AddConsumer<SegmentationSlideUploadedConsumer>();
        });
        builder.AddQueueWaitMetric();
    }

    private static string? ShippedModelFolder() =>
        ModelSeeds.Resolve(SegmentationOptions.SeedFolder) is { } folder
        && (File.Exists(Path.Combine(folder, "card.json")) || File.Exists(Path.Combine(folder, "model-card.json")))
            ? folder
            : null;

    private sealed class MissingSeedWarning(ILogger<SegmentationModule> logger) : IStartupTask
    {
        public Task RunAsync(CancellationToken cancellationToken)
        {
            logger.LogWarning("No shipped segmentation model at {Folder} (card.json + model.onnx); the registry is not seeded with it",
                SegmentationOptions.SeedFolder);
            return Task.CompletedTask;
        }
    }

    public void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/segmentation").WithTags("Segmentation");
        api.MapGet("/info", () => new { service = Name });
        api.MapJobEndpoints();
        api.MapJobEvents();
        api.MapOverlayEndpoints();
    }
}
