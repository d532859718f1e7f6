using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Halflife.Contracts;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Messaging;
using Halflife.ServiceDefaults.Security;
using Halflife.Testing;
using MassTransit;

namespace Halflife.Slides.Tests;

/// <summary>Slides alone on the embedded default (in-memory bus, SQLite, blob folder), with its events recorded.</summary>
public sealed class SlidesHost : IAsyncDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "halflife-slides-" + Guid.NewGuid().ToString("N"));
    private WebApplication _app = null!;

    /// <summary>The user name in the default client's token (TestIdentity's default).</summary>
    public const string User = "test-user";

    public HttpClient Http { get; private set; } = null!;
    public string DataFolder => _data;
    public ConcurrentQueue<object> Events => _app.Services.GetRequiredService<EventLog>();

    public static string Wsi(string name) => TestPaths.Data("wsi", name);

    public static async Task<SlidesHost> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var host = new SlidesHost();
        host._app = HalflifeApplication.Create(["--urls", "http://127.0.0.1:0"], "slides", [new SlidesModule(), new EventRecorderModule()], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Halflife:DataDirectory"] = host._data,
                // Small chunks so the 1.9 MB test slide takes several.
                ["Slides:MaxChunkBytes"] = (512 * 1024).ToString(),
            });
            builder.Configuration.AddInMemoryCollection(TestIdentity.Settings());
            if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await host._app.StartHalflifeAsync(TestContext.Current.CancellationToken);
        host.Http = new HttpClient { BaseAddress = new Uri(host._app.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };
        // Security is enforced as in production: the default client is an admin named <see cref="User"/>.
        host.Http.DefaultRequestHeaders.Authorization = TestIdentity.Bearer(Roles.Admin);
        return host;
    }

    /// <summary>Single-request upload of a shared test slide; returns the catalogue entry.</summary>
    public async Task<SlideDto> UploadAsync(string file, string? fileName = null)
    {
        var bytes = await File.ReadAllBytesAsync(Wsi(file), TestContext.Current.CancellationToken);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var response = await Http.PostAsync($"/api/slides?fileName={Uri.EscapeDataString(fileName ?? file)}&sha256={sha}",
            new ByteArrayContent(bytes), TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SlideDto>(TestContext.Current.CancellationToken))!;
    }

    /// <summary>Files under the blob store's slide prefix (what a refused upload must not leave behind).</summary>
    public IReadOnlyList<string> StoredOriginals()
    {
        var folder = Path.Combine(_data, "blobs", "slides");
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories) : [];
    }

    public async Task<IReadOnlyList<T>> WaitForEventsAsync<T>(Func<T, bool> match)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && !Events.OfType<T>().Any(match))
            await Task.Delay(100, TestContext.Current.CancellationToken);
        return Events.OfType<T>().Where(match).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }

    public sealed class EventLog : ConcurrentQueue<object>;

    private sealed class EventRecorderModule : IServiceModule
    {
        public string Name => "recorder";
        public void Add(WebApplicationBuilder builder)
        {
            builder.Services.AddSingleton<EventLog>();
            builder.AddConsumers(bus => bus.AddConsumer<Recorder>());
        }
        public void Map(WebApplication app) { }
    }

    public sealed class Recorder(EventLog log) : IConsumer<SlideUploaded>
    {
        public Task Consume(ConsumeContext<SlideUploaded> context)
        {
            log.Enqueue(context.Message);
            return Task.CompletedTask;
        }
    }
}

public sealed record SlideLevelDto(long Width, long Height, double Downsample);

public sealed record SlideDto(Guid Id, string Name, string? Description, List<string> Tags, string FileName, long SizeBytes, string Sha256,
    string Vendor, long Width, long Height, List<SlideLevelDto> Levels, double? MppX, double? MppY, double? ObjectivePower,
    List<string> AssociatedImages, string DziUrl);

public sealed record UploadStatusDto(Guid UploadId, string FileName, long Size, long Offset);
