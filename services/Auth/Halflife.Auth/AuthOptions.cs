using Halflife.Auth.External;

namespace Halflife.Auth;

/// <summary>Configuration section "Auth". Issuer and audience are shared with every service under "Security".</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);
    public int MaxFailedLogins { get; set; } = 5;
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>Login attempts per user name per minute, whatever the address (the gateway limits per address).</summary>
    public int LoginAttemptsPerUserPerMinute { get; set; } = 10;
    /// <summary>A new signing key is made when the newest is this old; old public keys stay published until their tokens expire.</summary>
    public TimeSpan SigningKeyRotation { get; set; } = TimeSpan.FromDays(30);
    /// <summary>
    /// Base64 AES-256 key that encrypts the signing keys' private halves in the database. When empty, one is generated
    /// once into data/secrets/auth-key-encryption-key (mode 0600). Give every Auth replica the same one.
    /// </summary>
    public string? KeyEncryptionKey { get; set; }
    /// <summary>External login providers by name (for example "kakao", "hospital"), see <see cref="ExternalProviderOptions"/>.</summary>
    public Dictionary<string, ExternalProviderOptions> External { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
