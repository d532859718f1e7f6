using Halflife.Ingest.Api;
using Halflife.Ingest.Catalogue;
using Halflife.Ingest.Storage;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Persistence;

namespace Halflife.Ingest;

/// <summary>Ingest: the front door. Receives DICOM (REST, later C-STORE), stores the blob, keeps the catalogue.</summary>
public sealed class IngestModule : IServiceModule
{
    public string Name => "ingest";

    public void Add(WebApplicationBuilder builder)
    {
        builder.Services.Configure<IngestOptions>(builder.Configuration.GetSection(IngestOptions.Section));
        builder.AddServiceDatabase<IngestDbContext>(Name);
        builder.Services.AddScoped<InstanceStore>();
    }

    public void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/ingest").WithTags("Ingest");
        api.MapUploadEndpoints();
        api.MapCatalogueEndpoints();
    }
}
