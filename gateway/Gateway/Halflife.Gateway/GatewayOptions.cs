namespace Halflife.Gateway;

/// <summary>Configuration section "Gateway".</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>
    /// Service name -> base address (for example "ingest" -> "http://ingest:8080"). Requests to /api/{name}/... are
    /// proxied there. Empty in the embedded default, where every service's endpoints live in the same process.
    /// </summary>
    public Dictionary<string, string> Services { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Folder with the built web UI (gateway/web/dist). When absent, a placeholder page is served.</summary>
    public string? WebRoot { get; set; }

    public CorsSettings Cors { get; set; } = new();

    public RateLimitSettings RateLimits { get; set; } = new();

    public BodyLimitSettings BodyLimits { get; set; } = new();

    /// <summary>Closed by default: no cross-origin browser access unless origins are named.</summary>
    public sealed class CorsSettings
    {
        public List<string> AllowedOrigins { get; set; } = [];
    }

    public sealed class RateLimitSettings
    {
        /// <summary>Login attempts per client address per minute (Auth adds a per-user-name limit behind it).</summary>
        public int LoginPerAddressPerMinute { get; set; } = 20;
        /// <summary>API requests per signed-in user (or, when anonymous, per address) per minute.</summary>
        public int ApiPerClientPerMinute { get; set; } = 6000;
    }

    public sealed class BodyLimitSettings
    {
        /// <summary>Request bodies on /api routes that are not uploads.</summary>
        public long DefaultBytes { get; set; } = 1024 * 1024;
        /// <summary>Annotation create/import (GeoJSON can be large; the Slides service applies its own finer limit).</summary>
        public long AnnotationBytes { get; set; } = 256L * 1024 * 1024;
    }
}
