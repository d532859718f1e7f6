using System.Collections.Concurrent;
using System.Net;
using Halflife.Standalone;

namespace Halflife.Integration.Tests;

/// <summary>The service defaults every host gets: health endpoints, and OTLP export when the OTEL_* variables say so.</summary>
[Collection(nameof(SpanCollection))] // shares the process-wide environment with the other host tests, so never in parallel
public sealed class TelemetryAndHealthTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "halflife-otel-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Health_endpoints_answer_and_traces_metrics_and_logs_leave_over_otlp()
    {
        // A stand-in OTLP/HTTP collector that records which signal paths were posted to.
        var received = new ConcurrentBag<string>();
        var collectorBuilder = WebApplication.CreateBuilder();
        collectorBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        collectorBuilder.Logging.ClearProviders();
        await using var collector = collectorBuilder.Build();
        collector.MapPost("/v1/{signal}", (string signal) => { received.Add(signal); return Results.Ok(); });
        await collector.StartAsync(TestContext.Current.CancellationToken);

        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", collector.Urls.First());
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        Environment.SetEnvironmentVariable("OTEL_SERVICE_NAME", "halflife-otel-test");
        try
        {
            await using (var host = await TestHost.StartAsync(StandaloneApp.Create, new Dictionary<string, string?>
            {
                ["Halflife:DataDirectory"] = _dataDirectory,
                ["Ingest:Dicom:Port"] = "0",
            }))
            {
                using var client = host.Client();
                using var live = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
                using var ready = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
                Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
                host.App.Logger.LogWarning("a log record that must reach the collector");
            } // stopping the host flushes the exporters

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline && !new[] { "traces", "metrics", "logs" }.All(received.Contains))
                await Task.Delay(200, TestContext.Current.CancellationToken);
            Assert.Contains("traces", received);
            Assert.Contains("metrics", received);
            Assert.Contains("logs", received);
        }
        finally
        {
            Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", null);
            Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", null);
            Environment.SetEnvironmentVariable("OTEL_SERVICE_NAME", null);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }
}
