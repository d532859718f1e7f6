using System.Collections.Concurrent;
using Halflife.Contracts;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Messaging;
using Halflife.ServiceDefaults.Security;
using Halflife.Testing;
using MassTransit;

namespace Halflife.Denoise.Tests;

/// <summary>
/// The Denoise module alone on the embedded default (in-memory bus, SQLite, blob folder under a temporary data
/// directory), listening on loopback, with a probe that records every ImageDenoised the outbox publishes.
/// </summary>
public sealed class DenoiseServiceHost : IAsyncDisposable
{
    private readonly string _data;

    private DenoiseServiceHost(WebApplication app, LogCapture logs, string data)
    {
        App = app;
        Logs = logs;
        _data = data;
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };
        // Security is enforced as in production; these tests are about denoising, so they call as an admin.
        Http.DefaultRequestHeaders.Authorization = TestIdentity.Bearer(Roles.Admin);
    }

    public WebApplication App { get; }
    public LogCapture Logs { get; }
    public HttpClient Http { get; }

    /// <summary>Every ImageDenoised received, from any host of this test run (tests filter by their own instance).</summary>
    public static ConcurrentQueue<ImageDenoised> Published { get; } = new();

    public static async Task<DenoiseServiceHost> StartAsync(CancellationToken cancellationToken)
    {
        var logs = new LogCapture();
        var data = Path.Combine(Path.GetTempPath(), "halflife-denoise-" + Guid.NewGuid().ToString("N"));
        var app = HalflifeApplication.Create(["--urls", "http://127.0.0.1:0"], "denoise", [new DenoiseModule()], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Halflife:DataDirectory"] = data,
                ["Denoise:MaxThreads"] = "1",
            });
            builder.Configuration.AddInMemoryCollection(TestIdentity.Settings());
            builder.Logging.AddProvider(logs);
            builder.AddConsumers(bus => bus.AddConsumer<ImageDenoisedProbe>());
        });
        await app.StartHalflifeAsync(cancellationToken);
        return new DenoiseServiceHost(app, logs, data);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }
}

/// <summary>Records ImageDenoised as a downstream service (Restore, Reporting) would receive it.</summary>
public sealed class ImageDenoisedProbe : IConsumer<ImageDenoised>
{
    public Task Consume(ConsumeContext<ImageDenoised> context)
    {
        DenoiseServiceHost.Published.Enqueue(context.Message);
        return Task.CompletedTask;
    }
}

public sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<string> Messages { get; } = new();
    public ILogger CreateLogger(string categoryName) => new Logger(Messages);
    public void Dispose() { }

    private sealed class Logger(ConcurrentQueue<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue(formatter(state, exception));
    }
}
