using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Security;
using Halflife.ServiceDefaults.Storage;
using Halflife.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Halflife.ServiceDefaults;

/// <summary>What every Halflife process has, whatever services it hosts (eShop's ServiceDefaults pattern).</summary>
public static class ServiceDefaultsExtensions
{
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Services.Configure<HalflifeOptions>(builder.Configuration.GetSection(HalflifeOptions.Section));
        builder.AddHalflifeTelemetry(serviceName);
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        builder.AddBlobStore();
        builder.AddHalflifeSecurity();
        return builder;
    }

    /// <summary>/health/live: the process runs. /health/ready: its database, bus and blob store answer.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains("live") });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        return app;
    }
}
