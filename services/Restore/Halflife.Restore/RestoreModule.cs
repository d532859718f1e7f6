using Halflife.Restore.Api;
using Halflife.Restore.Pipeline;
using Halflife.Restore.Derived;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Messaging;
using Halflife.ServiceDefaults.Persistence;

namespace Halflife.Restore;

/// <summary>Restore: deep-learning restoration of early / low-count bone scans into derived series.</summary>
public sealed class RestoreModule : IServiceModule
{
    public string Name => "restore";

    public void Add(WebApplicationBuilder builder)
    {
        builder.Services.Configure<RestoreOptions>(builder.Configuration.GetSection(RestoreOptions.Section));
        builder.Services.AddSingleton<RestorationModel>();
        builder.Services.AddSingleton<BoneScanRestorer>();
        builder.Services.AddSingleton<InstanceRestorer>();
        builder.AddServiceDatabase<RestoreDbContext>(Name);
        builder.AddConsumers(bus => bus.AddConsumer<InstanceReceivedConsumer>());
    }

    public void Map(WebApplication app)
    {
        app.MapGroup("/api/restore").WithTags("Restore").MapDerivedEndpoints();
    }
}
