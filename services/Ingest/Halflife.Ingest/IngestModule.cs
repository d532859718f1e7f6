using Halflife.Dicom.Web;
using Halflife.Ingest.Api;
using Halflife.Ingest.Catalogue;
using Halflife.Ingest.Scp;
using Halflife.Ingest.Storage;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Ingest;

/// <summary>Ingest: the front door. Receives DICOM (C-STORE and REST), stores the blob, keeps the catalogue.</summary>
public sealed class IngestModule : IServiceModule
{
    public string Name => "ingest";

    public void Add(WebApplicationBuilder builder)
    {
        builder.Services.Configure<IngestOptions>(builder.Configuration.GetSection(IngestOptions.Section));
        builder.Services.Configure<DicomScpOptions>(builder.Configuration.GetSection(DicomScpOptions.Section));
        builder.AddServiceDatabase<IngestDbContext>(Name);
        builder.Services.AddScoped<InstanceStore>();
        builder.Services.AddSingleton<IngestStoreHandler>();
        builder.Services.AddSingleton<DicomScpService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DicomScpService>());
        builder.Services.AddHostedService<StudyCompletionMonitor>();
    }

    public void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/ingest").WithTags("Ingest");
        api.MapUploadEndpoints();
        api.MapCatalogueEndpoints();
        api.MapDicomImage("/instances", "Instance", async (context, id, ct) =>
            await context.RequestServices.GetRequiredService<IngestDbContext>().Instances.AsNoTracking()
                .Where(i => i.Id == id).Select(i => i.BlobKey).FirstOrDefaultAsync(ct));
    }
}
