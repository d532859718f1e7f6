using Halflife.ServiceDefaults.Messaging;
using Halflife.ServiceDefaults.Security;
using Halflife.ServiceDefaults.Telemetry;

namespace Halflife.ServiceDefaults.Hosting;

/// <summary>Builds a web application from service modules the same way for every kind of host (and for tests).</summary>
public static class HalflifeApplication
{
    public static WebApplication Create(string[] args, string processName, IReadOnlyList<IServiceModule> modules,
        Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddServiceDefaults(processName);
        foreach (var module in modules) module.Add(builder);
        builder.AddMessageBus();

        var app = builder.Build();
        app.UseTraceResponse();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseHalflifeSecurity();
        app.MapDefaultEndpoints();
        foreach (var module in modules) module.Map(app);
        return app;
    }

    /// <summary>Runs start-up tasks (migrations, buckets) before the server takes its first request.</summary>
    public static async Task StartHalflifeAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await app.Services.RunStartupTasksAsync(cancellationToken);
        await app.StartAsync(cancellationToken);
    }

    public static async Task RunHalflifeAsync(this WebApplication app)
    {
        await app.Services.RunStartupTasksAsync();
        await app.RunAsync();
    }
}
