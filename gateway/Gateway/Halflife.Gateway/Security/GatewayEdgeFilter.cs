using Microsoft.Extensions.Options;

namespace Halflife.Gateway.Security;

/// <summary>
/// What must wrap every response, refusals included: security headers, CORS (only when origins are configured) and
/// body size limits. A startup filter puts them in front of routing and authentication.
/// </summary>
public sealed class GatewayEdgeFilter(IOptions<GatewayOptions> options) : IStartupFilter
{
    public const string CorsPolicy = "gateway";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var settings = options.Value;
        app.UseSecurityHeaders();
        if (settings.Cors.AllowedOrigins.Count > 0) app.UseCors(CorsPolicy);
        app.UseBodySizeLimits(settings.BodyLimits);
        next(app);
    };
}
