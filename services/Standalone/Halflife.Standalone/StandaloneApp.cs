using Halflife.Auth;
using Halflife.Denoise;
using Halflife.Gateway;
using Halflife.Ingest;
using Halflife.Models;
using Halflife.Reporting;
using Halflife.Restore;
using Halflife.Segmentation;
using Halflife.ServiceDefaults.Hosting;
using Halflife.Slides;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Halflife.Standalone;

/// <summary>
/// The embedded default: the gateway and every service module in one process, on the in-memory bus, SQLite files
/// and a blob folder under one data directory, unless configuration says otherwise.
/// </summary>
public static class StandaloneApp
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static IReadOnlyList<IServiceModule> Modules() =>
    [
        new GatewayModule(), new IngestModule(), new DenoiseModule(), new ModelsModule(), new RestoreModule(),
        new SegmentationModule(), new ReportingModule(), new AuthModule(), new SlidesModule(),
    ];

    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var app = HalflifeApplication.Create(args, "halflife", Modules(), builder =>
        {
            if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
                builder.WebHost.UseUrls(DefaultUrl);
            configure?.Invoke(builder);
        });
        app.Lifetime.ApplicationStarted.Register(() => Announce(app));
        return app;
    }

    /// <summary>Tells the person who started it where everything is.</summary>
    private static void Announce(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var web = addresses.FirstOrDefault() ?? DefaultUrl;
        var data = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HalflifeOptions>>().Value.ResolveDataPath(".");
        var dicomPort = app.Configuration["Ingest:Dicom:Port"] ?? "11112";
        app.Logger.LogInformation(
            "Halflife is running.\n  Web UI:   {Web}/\n  REST API: {Web}/api/  (health: {Web}/health/ready)\n  DICOM:    port {DicomPort}\n  Data:     {Data}",
            web, web, web, dicomPort, data);
    }
}
