using Halflife.Models.Loading;
using Halflife.Models.Registry;
using Halflife.ServiceDefaults.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Halflife.Models;

public static class ModelRegistryExtensions
{
    /// <summary>
    /// The registry and the active-model cache, once per process whatever number of modules ask (Restore,
    /// Segmentation and the Models API may share one host). Needs the blob store from ServiceDefaults.
    /// </summary>
    public static IHostApplicationBuilder AddModelRegistry(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(ModelRegistry))) return builder;
        builder.Services.Configure<ModelsOptions>(builder.Configuration.GetSection(ModelsOptions.Section));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ModelRegistry>();
        builder.Services.AddSingleton<ActiveModels>();
        builder.Services.AddSingleton(new ModelSeeds());
        builder.Services.AddSingleton<IStartupTask, ModelSeedTask>();
        return builder;
    }

    /// <summary>Imports the model in <paramref name="folder"/> (relative to the application) on first start and activates it.</summary>
    public static IHostApplicationBuilder AddModelSeed(this IHostApplicationBuilder builder, string folder)
    {
        builder.AddModelRegistry();
        var seeds = (ModelSeeds)builder.Services.First(d => d.ServiceType == typeof(ModelSeeds)).ImplementationInstance!;
        seeds.Folders.Add(folder);
        return builder;
    }
}
