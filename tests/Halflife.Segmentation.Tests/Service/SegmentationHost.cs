using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Halflife.Contracts;
using Halflife.Models;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Messaging;
using Halflife.ServiceDefaults.Security;
using Halflife.Slides;
using Halflife.Testing;
using MassTransit;

namespace Halflife.Segmentation.Tests.Service;

/// <summary>
/// Slides, the model registry API and Segmentation in one host on the embedded default (in-memory bus, SQLite, blob
/// folder), as the Standalone host runs them, with security enforced and SegmentationCompleted events recorded.
/// Progress is written on every tile so that a short test job still shows several steps.
/// </summary>
public sealed class SegmentationHost : IAsyncDisposable
{
    public const string Project = "alpha";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "halflife-segmentation-" + Guid.NewGuid().ToString("N"));
    private WebApplication _app = null!;

    public HttpClient Http { get; private set; } = null!;
    public WebApplication App => _app;
    public ConcurrentQueue<SegmentationCompleted> Completed { get; } = new();
    /// <summary>The same deliveries with their message ids: the outbox publishes at least once, so one announcement may arrive twice under one id.</summary>
    public ConcurrentQueue<Announcement> Announcements { get; } = new();

    public static Task<SegmentationHost> StartAsync() =>
        StartAsync([new ModelsModule(), new SlidesModule(), new SegmentationModule()], new Dictionary<string, string?>(), captureCompleted: true);

    /// <summary>
    /// A host of the given modules: the test defaults, then <paramref name="settings"/> (e.g. RabbitMQ, PostgreSQL and
    /// S3 instead of the embedded default), then the test identity. With <paramref name="captureCompleted"/> it records
    /// every SegmentationCompleted in <see cref="Completed"/> (give it to one host per bus, or each sees only some).
    /// <paramref name="configure"/> runs last, for services beyond settings.
    /// </summary>
    public static async Task<SegmentationHost> StartAsync(IServiceModule[] modules, IReadOnlyDictionary<string, string?> settings, bool captureCompleted,
        Action<WebApplicationBuilder>? configure = null)
    {
        var host = new SegmentationHost();
        host._app = HalflifeApplication.Create(["--urls", "http://127.0.0.1:0"], "segmentation-tests", modules, builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Halflife:DataDirectory"] = host._data,
                    ["Models:ExecutionProvider"] = "Cpu",
                    ["Models:IntraOpNumThreads"] = "1",
                    ["Segmentation:BatchSize"] = "4",
                    ["Segmentation:ProgressInterval"] = "00:00:00",
                    ["Segmentation:OverviewInterval"] = "00:00:00.100",
                    ["Segmentation:EventPollInterval"] = "00:00:00.020",
                });
                builder.Configuration.AddInMemoryCollection(settings);
                builder.Configuration.AddInMemoryCollection(TestIdentity.Settings());
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                builder.Services.AddSingleton(host.Completed);
                builder.Services.AddSingleton(host.Announcements);
                if (captureCompleted) builder.AddConsumers(bus => bus.AddConsumer<SegmentationTestCompletedCapture>());
                configure?.Invoke(builder);
            });
        await host._app.StartHalflifeAsync(TestContext.Current.CancellationToken);
        host.Http = new HttpClient { BaseAddress = new Uri(host._app.Urls.First()), Timeout = TimeSpan.FromSeconds(120) };
        host.Http.DefaultRequestHeaders.Authorization = TestIdentity.Bearer(Roles.Admin);
        return host;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Uploads a shared test slide into project <see cref="Project"/> (this host runs Slides) and waits until the
    /// Segmentation service (this host, or <paramref name="segmentation"/>) knows it.
    /// </summary>
    public async Task<Guid> UploadSlideAsync(string file, SegmentationHost? segmentation = null)
    {
        var probeClient = (segmentation ?? this).Http;
        var bytes = await File.ReadAllBytesAsync(TestPaths.Data("wsi", file), Ct);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var response = await Http.PostAsync($"/api/slides?fileName={Uri.EscapeDataString(file)}&projectId={Project}&sha256={sha}",
            new ByteArrayContent(bytes), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        var id = Guid.Parse((string)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!);
        // SlideUploaded reaches the Segmentation service through the outbox and the bus: a moment later.
        await PollAsync(async () =>
        {
            using var probe = await probeClient.PostAsJsonAsync("/api/segmentation/jobs", new { slideId = id, model = "no-such-model" }, Ct);
            return probe.StatusCode == HttpStatusCode.NotFound && (await probe.Content.ReadAsStringAsync(Ct)).Contains("Slide") ? null : "known";
        }, TimeSpan.FromSeconds(30), $"slide {id} never reached the Segmentation service");
        return id;
    }

    /// <summary>Uploads an ONNX model with its card through POST /api/models and activates it.</summary>
    public async Task UploadModelAsync(string onnxPath, string card)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(card, System.Text.Encoding.UTF8, "application/json"), "card", "card.json");
        var model = new ByteArrayContent(await File.ReadAllBytesAsync(onnxPath, Ct));
        model.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(model, "model", "model.onnx");
        using var response = await Http.PostAsync("/api/models?activate=true", form, Ct);
        Assert.True(response.IsSuccessStatusCode, $"model upload: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    public async Task<JsonObject> StartJobAsync(object body, HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        using var response = await Http.PostAsJsonAsync("/api/segmentation/jobs", body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"POST job: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task<JsonObject> GetJobAsync(string id) =>
        (await Http.GetFromJsonAsync<JsonObject>($"/api/segmentation/jobs/{id}", Ct))!;

    public async Task<JsonObject> WaitForStateAsync(string id, params string[] states) =>
        await PollAsync(async () =>
        {
            var job = await GetJobAsync(id);
            return states.Contains((string?)job["state"]) ? job : null;
        }, TimeSpan.FromSeconds(180), $"job {id} never reached {string.Join('/', states)}");

    public static async Task<T> PollAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s: {what}");
            await Task.Delay(50, Ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a closing handle; the temp folder is cleaned by the system.
        }
    }
}

public sealed record Announcement(Guid? MessageId, SegmentationCompleted Message);

public sealed class SegmentationTestCompletedCapture(ConcurrentQueue<SegmentationCompleted> completed, ConcurrentQueue<Announcement> announcements)
    : IConsumer<SegmentationCompleted>
{
    public Task Consume(ConsumeContext<SegmentationCompleted> context)
    {
        completed.Enqueue(context.Message);
        announcements.Enqueue(new Announcement(context.MessageId, context.Message));
        return Task.CompletedTask;
    }
}
