namespace Halflife.Auth;

/// <summary>Configuration section "Auth".</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";
    public string Issuer { get; set; } = "halflife";
    public string Audience { get; set; } = "halflife-api";
    /// <summary>Base64 HMAC key (at least 32 bytes). When empty, one is generated once and kept under the data directory.</summary>
    public string? SigningKey { get; set; }
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public int MaxFailedLogins { get; set; } = 5;
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}
