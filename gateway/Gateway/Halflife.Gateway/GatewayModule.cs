using System.Reflection;
using Halflife.Gateway.Security;
using Halflife.ServiceDefaults.Hosting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace Halflife.Gateway;

/// <summary>
/// The one public HTTP entry: the web UI's files and /api routing, with the edge's protections (security headers,
/// CORS, body size and rate limits). Token validation and the route access table come from ServiceDefaults'
/// Security and run in every process; here they guard proxied routes too. Distributed, it proxies /api/{service}/
/// with YARP, passing Authorization and cookies on; in the embedded default the services' endpoints are in this
/// process and no proxying is needed.
/// </summary>
public sealed class GatewayModule : IServiceModule
{
    public string Name => "gateway";

    public void Add(WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        builder.Services.Configure<GatewayOptions>(builder.Configuration.GetSection(GatewayOptions.Section));
        builder.Services.AddTransient<IStartupFilter, GatewayEdgeFilter>();
        if (options.Cors.AllowedOrigins.Count > 0)
            builder.Services.AddCors(c => c.AddPolicy(GatewayEdgeFilter.CorsPolicy, p =>
                p.WithOrigins([.. options.Cors.AllowedOrigins]).AllowAnyHeader().AllowAnyMethod()));
        builder.Services.AddGatewayRateLimits(options.RateLimits);
        if (options.Services.Count > 0)
        {
            var (routes, clusters) = ServiceRoutes.Build(options);
            builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);
        }
    }

    public void Map(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        // After authentication (HalflifeApplication), so limits per user see a validated identity.
        app.UseRateLimiter();
        var files = WebRootFiles(options, app.Environment);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        if (options.Services.Count > 0)
            app.MapReverseProxy();
        // Client-side routes of the single-page UI fall back to index.html; /api and /health never do, and neither
        // do file names (nonfile): routing runs before the static-file middleware, which steps aside for a request
        // that already has an endpoint, so a fallback matching /assets/x.js would answer scripts with index.html.
        app.MapFallback("{*path:nonfile:regex(^(?!api/|health/).*$)}", async context =>
        {
            var index = files.GetFileInfo("index.html");
            context.Response.ContentType = "text/html; charset=utf-8";
            await using var stream = index.CreateReadStream();
            await stream.CopyToAsync(context.Response.Body, context.RequestAborted);
        });
    }

    private static IFileProvider WebRootFiles(GatewayOptions options, IWebHostEnvironment environment)
    {
        var candidates = new[]
        {
            options.WebRoot,
            Path.Combine(AppContext.BaseDirectory, "wwwroot"),
            Path.Combine(environment.ContentRootPath, "gateway", "web", "dist"),
        };
        foreach (var candidate in candidates)
        {
            if (candidate is not null && File.Exists(Path.Combine(candidate, "index.html")))
                return new PhysicalFileProvider(Path.GetFullPath(candidate));
        }
        return new EmbeddedFileProvider(Assembly.GetExecutingAssembly(), "Halflife.Gateway.Placeholder");
    }
}
