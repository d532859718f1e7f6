using Halflife.Imaging.Tiles;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Messaging;
using Halflife.ServiceDefaults.Persistence;
using Halflife.Slides.Annotations;
using Halflife.Slides.Api;
using Halflife.Slides.Catalogue;
using Halflife.Slides.Tiles;
using Halflife.Slides.Upload;
using Microsoft.Extensions.Options;

namespace Halflife.Slides;

/// <summary>Slides: whole-slide image upload and catalogue, Deep Zoom tiles, annotations.</summary>
public sealed class SlidesModule : IServiceModule
{
    public string Name => "slides";

    public void Add(WebApplicationBuilder builder)
    {
        builder.Services.Configure<SlidesOptions>(builder.Configuration.GetSection(SlidesOptions.Section));
        builder.AddServiceDatabase<SlidesDbContext>(Name);
        builder.Services.AddSingleton<UploadArea>();
        builder.Services.AddScoped<SlideImporter>();
        builder.Services.AddHostedService<UploadJanitor>();
        builder.Services.AddScoped<AnnotationService>();
        builder.AddConsumers(bus => bus.AddConsumer<SlidesSegmentationCompletedConsumer>());
        builder.Services.AddSingleton<LocalSlideCache>();
        builder.Services.AddSingleton(sp =>
        {
            var cache = sp.GetRequiredService<LocalSlideCache>();
            var tiles = new DeepZoomTileService(cache, new MemoryTileCache(sp.GetRequiredService<IOptions<SlidesOptions>>().Value.TileCacheBytes));
            cache.Evicted += tiles.Forget;
            return tiles;
        });
    }

    public void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/slides").WithTags("Slides").RequireSlideAccess();
        api.MapGet("/info", () => new { service = Name });
        api.MapUploadEndpoints();
        api.MapCatalogueEndpoints();
        api.MapTileEndpoints();
        api.MapAnnotationEndpoints();
    }
}
