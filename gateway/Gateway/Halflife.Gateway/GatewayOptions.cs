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
}
