using Halflife.ServiceDefaults.Hosting;

namespace Halflife.Denoise;

/// <summary>Denoise: Poisson-aware denoising of nuclear-medicine count images.</summary>
public sealed class DenoiseModule : IServiceModule
{
    public string Name => "denoise";

    public void Add(WebApplicationBuilder builder)
    {
    }

    public void Map(WebApplication app)
    {
        app.MapGroup("/api/denoise").WithTags("Denoise").MapGet("/info", () => new { service = Name });
    }
}
