using System.Collections.Concurrent;
using Halflife.Contracts;
using Halflife.Ingest.Scp;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Messaging;
using Halflife.ServiceDefaults.Security;
using Halflife.Testing;
using MassTransit;

namespace Halflife.Ingest.Tests;

/// <summary>Ingest alone on the embedded default (in-memory bus, SQLite, blob folder), with its events recorded.</summary>
public sealed class IngestHost : IAsyncDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "halflife-ingest-" + Guid.NewGuid().ToString("N"));
    private WebApplication _app = null!;

    /// <summary>Events this host published (each host has its own in-memory bus and log).</summary>
    public ConcurrentQueue<object> Events => _app.Services.GetRequiredService<EventLog>();

    public HttpClient Http { get; private set; } = null!;
    public int DicomPort { get; private set; }
    public string BlobFolder => Path.Combine(_data, "blobs");

    public static async Task<IngestHost> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var host = new IngestHost();
        host._app = HalflifeApplication.Create(["--urls", "http://127.0.0.1:0"], "ingest", [new IngestModule(), new EventRecorderModule()], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Halflife:DataDirectory"] = host._data,
                ["Ingest:Dicom:Port"] = "0",
                ["Ingest:Dicom:Host"] = "127.0.0.1",
                ["Ingest:Dicom:AeTitle"] = "HALFLIFE",
            });
            builder.Configuration.AddInMemoryCollection(TestIdentity.Settings());
            if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await host._app.StartHalflifeAsync(TestContext.Current.CancellationToken);
        host.Http = new HttpClient { BaseAddress = new Uri(host._app.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };
        // Security is enforced as in production; an admin sees every project, which these tests are not about.
        host.Http.DefaultRequestHeaders.Authorization = TestIdentity.Bearer(Roles.Admin);
        host.DicomPort = host._app.Services.GetRequiredService<DicomScpService>().Port ?? throw new InvalidOperationException("SCP not started");
        return host;
    }

    public IReadOnlyList<T> EventsOf<T>(Func<T, bool> match) => Events.OfType<T>().Where(match).ToList();

    /// <summary>Waits until at least one matching event arrived (events leave through the outbox asynchronously).</summary>
    public async Task<IReadOnlyList<T>> WaitForEventsAsync<T>(Func<T, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline && EventsOf(match).Count == 0)
            await Task.Delay(100, TestContext.Current.CancellationToken);
        return EventsOf(match);
    }

    public sealed class EventLog : ConcurrentQueue<object>;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }

    private sealed class EventRecorderModule : IServiceModule
    {
        public string Name => "recorder";
        public void Add(WebApplicationBuilder builder)
        {
            builder.Services.AddSingleton<EventLog>();
            builder.AddConsumers(bus => { bus.AddConsumer<Recorder<InstanceReceived>>(); bus.AddConsumer<Recorder<StudyCompleted>>(); });
        }
        public void Map(WebApplication app) { }
    }

    public sealed class Recorder<T>(EventLog log) : IConsumer<T> where T : class
    {
        public Task Consume(ConsumeContext<T> context)
        {
            log.Enqueue(context.Message);
            return Task.CompletedTask;
        }
    }
}
