using Halflife.ServiceDefaults.Hosting;

namespace Halflife.Segmentation;

/// <summary>Segmentation: AI cancer segmentation of whole-slide images.</summary>
public sealed class SegmentationModule : IServiceModule
{
    public string Name => "segmentation";

    public void Add(WebApplicationBuilder builder)
    {
    }

    public void Map(WebApplication app)
    {
        app.MapGroup("/api/segmentation").WithTags("Segmentation").MapGet("/info", () => new { service = Name });
    }
}
