using System.Collections.Concurrent;
using Halflife.Contracts;
using Halflife.Dicom;
using Halflife.Models;
using Halflife.Restore.Derived;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Messaging;
using Halflife.ServiceDefaults.Security;
using Halflife.ServiceDefaults.Storage;
using Halflife.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Restore.Tests;

/// <summary>
/// Restore and the Models API in one host on the embedded default (in-memory bus, SQLite, blob folder) on a free
/// loopback port, with the events it publishes captured. Instances are "received" by publishing InstanceReceived for
/// a blob the test put in place, as Ingest would.
/// </summary>
internal sealed class RestoreHost : IAsyncDisposable
{
    public static readonly string NmFile = TestPaths.Data("dicom", "poumonsReins.dcm");
    private readonly string _data;

    private RestoreHost(WebApplication app, string data, EventCapture events)
    {
        App = app;
        _data = data;
        Events = events;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };
        // Security is enforced as in production; the model registry routes need an admin.
        Client.DefaultRequestHeaders.Authorization = TestIdentity.Bearer(Roles.Admin);
    }

    public WebApplication App { get; }
    public HttpClient Client { get; }
    public EventCapture Events { get; }

    public static async Task<RestoreHost> StartAsync(IDictionary<string, string?>? settings = null, ILoggerProvider? logs = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "halflife-restore-" + Guid.NewGuid().ToString("N"));
        var events = new EventCapture();
        var app = HalflifeApplication.Create(["--urls", "http://127.0.0.1:0"], "restore", [new ModelsModule(), new RestoreModule()], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Halflife:DataDirectory"] = data,
                ["Models:ExecutionProvider"] = "Cpu",
                ["Restore:Forwarding:PollInterval"] = "00:00:00.200",
            });
            builder.Configuration.AddInMemoryCollection(TestIdentity.Settings());
            if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            if (logs is not null) builder.Logging.AddProvider(logs);
            builder.Services.AddSingleton(events);
            builder.AddConsumers(bus =>
            {
                bus.AddConsumer<RestoreTestImageRestoredCapture>();
                bus.AddConsumer<RestoreTestInstanceForwardedCapture>();
            });
        });
        await app.StartHalflifeAsync(TestContext.Current.CancellationToken);
        return new RestoreHost(app, data, events);
    }

    /// <summary>Stores the NM test file as an original and announces it (with the study context Ingest would send,
    /// when given); returns the instance id used.</summary>
    public async Task<Guid> ReceiveAsync(string file, CancellationToken ct, StudyContext? context = null)
    {
        var dataset = DicomFile.Open(file).Dataset;
        var id = Guid.NewGuid();
        var key = $"test/originals/{id:N}.dcm";
        await using (var content = File.OpenRead(file))
            await App.Services.GetRequiredService<IBlobStore>().PutAsync(key, content, "application/dicom", ct);
        await App.Services.GetRequiredService<IBus>().Publish(new InstanceReceived(id, dataset.GetString(DicomTag.StudyInstanceUID),
            dataset.GetString(DicomTag.SeriesInstanceUID), dataset.GetString(DicomTag.SOPInstanceUID), dataset.GetString(DicomTag.SOPClassUID),
            "NM", key, new FileInfo(file).Length, null, DateTimeOffset.UtcNow, context), ct);
        return id;
    }

    /// <summary>Waits for the derived instance of a received one.</summary>
    public async Task<DerivedInstance> DerivedOfAsync(Guid instanceId, CancellationToken ct) =>
        await PollAsync(async () =>
        {
            using var scope = App.Services.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<RestoreDbContext>().DerivedInstances.AsNoTracking()
                .FirstOrDefaultAsync(d => d.SourceInstanceId == instanceId, ct);
        }, TimeSpan.FromSeconds(90), $"no derived instance for {instanceId}");

    public async Task<DicomDataset> DerivedDatasetAsync(DerivedInstance derived, CancellationToken ct)
    {
        await using var stream = await App.Services.GetRequiredService<IBlobStore>().OpenReadAsync(derived.BlobKey, cancellationToken: ct);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        buffer.Position = 0;
        return DicomFile.Open(buffer).Dataset;
    }

    public static async Task<T> PollAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s: {what}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }
}

/// <summary>Events the host published, as consumers elsewhere (Reporting, the UI) would see them.</summary>
public sealed class EventCapture
{
    public ConcurrentQueue<ImageRestored> Restored { get; } = new();
    public ConcurrentQueue<InstanceForwarded> Forwarded { get; } = new();
}

public sealed class RestoreTestImageRestoredCapture(EventCapture events) : IConsumer<ImageRestored>
{
    public Task Consume(ConsumeContext<ImageRestored> context)
    {
        events.Restored.Enqueue(context.Message);
        return Task.CompletedTask;
    }
}

public sealed class RestoreTestInstanceForwardedCapture(EventCapture events) : IConsumer<InstanceForwarded>
{
    public Task Consume(ConsumeContext<InstanceForwarded> context)
    {
        events.Forwarded.Enqueue(context.Message);
        return Task.CompletedTask;
    }
}
