using Halflife.Denoise.Api;
using Halflife.Denoise.Denoised;
using Halflife.Denoise.Pipeline;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Messaging;
using Halflife.ServiceDefaults.Persistence;

namespace Halflife.Denoise;

/// <summary>Denoise: Poisson-aware denoising of nuclear-medicine count images into derived series (docs/denoise.md).</summary>
public sealed class DenoiseModule : IServiceModule
{
    public string Name => "denoise";

    public void Add(WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DenoiseOptions>().Bind(builder.Configuration.GetSection(DenoiseOptions.Section))
            .Validate(o => o.MaxThreads >= 1 && o.MaxPixels > 0 && ParametersAreValid(o),
                "Denoise: PatchRadius 0-10, SearchRadius 1-21, H > 0, MaxThreads >= 1 and MaxPixels > 0")
            .ValidateOnStart();
        builder.Services.AddSingleton<CountImageDenoiser>();
        builder.Services.AddSingleton<InstanceDenoiser>();
        builder.AddServiceDatabase<DenoiseDbContext>(Name);
        builder.AddConsumers(bus => bus.AddConsumer<DenoiseInstanceReceivedConsumer>());
    }

    public void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/denoise").WithTags("Denoise");
        api.MapGet("/info", (Microsoft.Extensions.Options.IOptions<DenoiseOptions> options) => new
        {
            service = Name, method = Filtering.PoissonDenoiser.Method, version = Filtering.PoissonDenoiser.Version,
            parameters = options.Value.Parameters.ToString(), modalities = options.Value.Modalities,
        }).WithName("DenoiseInfo");
        api.MapDenoisedEndpoints();
    }

    private static bool ParametersAreValid(DenoiseOptions options)
    {
        try
        {
            options.Parameters.Validate();
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }
}
