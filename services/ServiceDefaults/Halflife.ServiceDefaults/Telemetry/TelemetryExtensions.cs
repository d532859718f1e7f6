using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Halflife.ServiceDefaults.Telemetry;

public static class TelemetryExtensions
{
    // ASP.NET Core, HttpClient, YARP and MassTransit emit Activities and Meters themselves on .NET 10, so the
    // Instrumentation.* packages (missing from the registry here) are not needed: we subscribe to their sources.
    private static readonly string[] ActivitySources = ["Microsoft.AspNetCore", "System.Net.Http", "Yarp.ReverseProxy", "MassTransit", $"{HalflifeTelemetry.Prefix}.*"];
    private static readonly string[] Meters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "MassTransit", $"{HalflifeTelemetry.Prefix}.*"];

    /// <summary>
    /// Traces, metrics and logs over OTLP when the standard OTEL_EXPORTER_OTLP_* variables name an endpoint; the
    /// service name comes from OTEL_SERVICE_NAME or <paramref name="serviceName"/>. Providers are owned by the
    /// container, so they flush and dispose with the host.
    /// </summary>
    public static IHostApplicationBuilder AddHalflifeTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        var configuration = builder.Configuration;
        var exportOtlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
                         || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]);
        var name = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } configured ? configured : serviceName;
        var resource = ResourceBuilder.CreateDefault().AddService(name, serviceVersion: typeof(TelemetryExtensions).Assembly.GetName().Version?.ToString());

        if (!exportOtlp)
            return builder;

        builder.Services.AddSingleton(_ =>
        {
            var tracing = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(ActivitySources);
            tracing.AddOtlpExporter();
            return tracing.Build()!;
        });
        builder.Services.AddSingleton(_ =>
        {
            var metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(Meters);
            metrics.AddOtlpExporter();
            return metrics.Build()!;
        });
        builder.Services.AddHostedService<TelemetryActivator>();
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.SetResourceBuilder(resource);
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            logging.AddOtlpExporter();
        });
        return builder;
    }

    /// <summary>Resolves the providers at start-up: they only listen once created.</summary>
    private sealed class TelemetryActivator(TracerProvider tracing, MeterProvider metrics) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            tracing.ForceFlush(5000);
            metrics.ForceFlush(5000);
            return Task.CompletedTask;
        }
    }
}
