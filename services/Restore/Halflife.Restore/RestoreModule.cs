using Halflife.Models;
using Halflife.Restore.Api;
using Halflife.Restore.Derived;
using Halflife.Restore.Forwarding;
using Halflife.Restore.Pipeline;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Messaging;
using Halflife.ServiceDefaults.Persistence;

namespace Halflife.Restore;

/// <summary>Restore: deep-learning restoration of early / low-count bone scans into derived series, forwarded to PACS.</summary>
public sealed class RestoreModule : IServiceModule
{
    public string Name => "restore";

    public void Add(WebApplicationBuilder builder)
    {
        builder.Services.Configure<RestoreOptions>(builder.Configuration.GetSection(RestoreOptions.Section));
        // The models come from the registry (blob store); the copies shipped with the service seed it on first start.
        foreach (var folder in RestoreOptions.SeedFolders)
            builder.AddModelSeed(folder);
        builder.Services.AddSingleton<InstanceRestorer>();
        builder.AddServiceDatabase<RestoreDbContext>(Name);
        builder.Services.AddSingleton<IStartupTask, RestoreStartupCheck>();
        builder.Services.AddSingleton<ForwardingSignal>();
        builder.Services.AddSingleton<PacsSender>();
        builder.Services.AddHostedService<ForwardingWorker>();
        builder.AddConsumers(bus => bus.AddConsumer<InstanceReceivedConsumer>());
        builder.AddQueueWaitMetric();
    }

    public void Map(WebApplication app)
    {
        app.MapGroup("/api/restore").WithTags("Restore").MapDerivedEndpoints();
    }
}
