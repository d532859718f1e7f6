namespace Halflife.ServiceDefaults.Security;

/// <summary>Configuration section "Security": how every process validates tokens and whether it enforces access.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>
    /// The one switch, on by default: a valid token is required on every /api route except the anonymous ones in
    /// <see cref="RouteAccessTable"/>, role policies and project scoping apply. False keeps every endpoint open while
    /// tokens that are sent are still validated (the user is known and audited); only for a closed test bench.
    /// </summary>
    public bool Enforce { get; set; } = true;

    public string Issuer { get; set; } = "halflife";
    public string Audience { get; set; } = "halflife-api";

    /// <summary>
    /// Base URL of the Auth service when it runs in another process (for example "http://auth:8080"): its key set is
    /// fetched from /api/auth/.well-known/openid-configuration, cached, and refreshed when a token names an unknown kid.
    /// Empty when Auth runs in this process (its keys are read directly) or only <see cref="TrustedKeys"/> are used.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>Whether the key set must be fetched over HTTPS (turn off only inside a private network).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>How long a fetched key set is used before it is fetched again (with <see cref="Authority"/>).</summary>
    public TimeSpan KeySetRefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The shortest time between two fetches caused by tokens with an unknown kid: a rotated key is picked up on its
    /// first token, and forged kids cannot make the service hammer Auth.
    /// </summary>
    public TimeSpan KeySetMinRefetchInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Extra public keys to trust: kid -> PEM (SubjectPublicKeyInfo, EC P-256 or RSA). Tests use this.</summary>
    public Dictionary<string, string> TrustedKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Name of the HttpOnly cookie that carries the access token for the browser (img and tile requests).</summary>
    public string AccessCookieName { get; set; } = "halflife_access";

    /// <summary>Tolerance for clock differences between the issuer and this process.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Reverse proxies whose X-Forwarded-For/-Proto/-Host are believed (IP addresses).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation (for example "10.0.0.0/8").</summary>
    public List<string> KnownNetworks { get; set; } = [];
}
