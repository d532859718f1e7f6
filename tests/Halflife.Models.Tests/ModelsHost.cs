using System.Net.Http.Headers;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Security;
using Halflife.Testing;

namespace Halflife.Models.Tests;

/// <summary>The Models module alone on a free loopback port, with its blob folder under a private data directory.</summary>
internal sealed class ModelsHost : IAsyncDisposable
{
    private ModelsHost(WebApplication app, string data)
    {
        App = app;
        DataDirectory = data;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };
        // Managing models is an admin task (RouteAccessTable); security is enforced as in production.
        Client.DefaultRequestHeaders.Authorization = TestIdentity.Bearer(Roles.Admin);
    }

    public WebApplication App { get; }
    public HttpClient Client { get; }
    public string DataDirectory { get; }

    public static async Task<ModelsHost> StartAsync(string? dataDirectory = null, IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var data = dataDirectory ?? Path.Combine(Path.GetTempPath(), "halflife-models-" + Guid.NewGuid().ToString("N"));
        var app = HalflifeApplication.Create(["--urls", "http://127.0.0.1:0"], "models", [new ModelsModule()], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Halflife:DataDirectory"] = data });
            builder.Configuration.AddInMemoryCollection(TestIdentity.Settings());
            if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            configure?.Invoke(builder);
        });
        await app.StartHalflifeAsync(TestContext.Current.CancellationToken);
        return new ModelsHost(app, data);
    }

    public static MultipartFormDataContent Upload(byte[] card, byte[] model, params (string FileName, byte[] Content)[] data)
    {
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(card) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }, "card", "card.json");
        form.Add(new ByteArrayContent(model), "model", "model.onnx");
        foreach (var (fileName, content) in data) form.Add(new ByteArrayContent(content), "data", fileName);
        return form;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    /// <summary>Deletes the data directory; separate so that a test can restart a host on the same one.</summary>
    public static void Delete(string dataDirectory)
    {
        if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
    }
}
