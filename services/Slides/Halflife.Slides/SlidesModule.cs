using Halflife.ServiceDefaults.Hosting;

namespace Halflife.Slides;

/// <summary>Slides: whole-slide image upload and catalogue, Deep Zoom tiles, annotations.</summary>
public sealed class SlidesModule : IServiceModule
{
    public string Name => "slides";

    public void Add(WebApplicationBuilder builder)
    {
    }

    public void Map(WebApplication app)
    {
        app.MapGroup("/api/slides").WithTags("Slides").MapGet("/info", () => new { service = Name });
    }
}
