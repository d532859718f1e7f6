using Halflife.ServiceDefaults.Hosting;
using Halflife.Standalone;
using Halflife.Testing;

namespace Halflife.Gateway.Tests;

/// <summary>The embedded default (gateway and every service in one process) on a free loopback port and a temporary data folder.</summary>
public sealed class StandaloneHost : IAsyncDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "halflife-gw-" + Guid.NewGuid().ToString("N"));

    public WebApplication App { get; private set; } = null!;
    public Uri Address => new(App.Urls.First());
    public string DataFolder => _data;

    public static async Task<StandaloneHost> StartAsync(bool enforce = true, Dictionary<string, string?>? settings = null)
    {
        var host = new StandaloneHost();
        host.App = StandaloneApp.Create(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Halflife:DataDirectory"] = host._data,
                ["Ingest:Dicom:Port"] = "0",
                ["Ingest:Dicom:Host"] = "127.0.0.1",
            });
            builder.Configuration.AddInMemoryCollection(TestIdentity.Settings(enforce));
            if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await host.App.StartHalflifeAsync(TestContext.Current.CancellationToken);
        // ASP.NET answers 500 to every request when two endpoints share a name; say so instead of 500s in every case.
        var clashes = host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName).OfType<string>()
            .GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (clashes.Count > 0)
            throw new InvalidOperationException($"The Standalone host cannot route: duplicate endpoint names {string.Join(", ", clashes)}.");
        return host;
    }

    public HttpClient Client() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(120) };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A background task may still hold a file for a moment; the folder is under the temp directory anyway.
        }
    }
}
