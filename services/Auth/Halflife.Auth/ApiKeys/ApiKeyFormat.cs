using Microsoft.IdentityModel.Tokens;

namespace Halflife.Auth.ApiKeys;

/// <summary>
/// The shape of an API key, "hlk_{prefix}_{secret}": a fixed marker (so leaked keys are recognisable in logs and by
/// secret scanners), a 12-hex-digit lookup prefix and a base64url secret. The secret's alphabet includes '_', so a
/// key is split at its first two underscores only.
/// </summary>
public static class ApiKeyFormat
{
    public const string Marker = "hlk_";
    public const int PrefixLength = 12;
    /// <summary>Longer than any key we issue; anything longer is refused before it reaches the database.</summary>
    public const int MaxLength = 200;

    public static string Compose(string prefix, ReadOnlySpan<byte> secret)
    {
        if (prefix.Length != PrefixLength) throw new ArgumentException($"An API key prefix has {PrefixLength} characters.", nameof(prefix));
        return $"{Marker}{prefix}_{Base64UrlEncoder.Encode(secret.ToArray())}";
    }

    /// <summary>The lookup prefix of a well-formed key, or null.</summary>
    public static string? PrefixOf(string apiKey)
    {
        if (apiKey.Length > MaxLength) return null;
        var parts = apiKey.Split('_', 3);
        if (parts.Length != 3 || parts[0] + "_" != Marker || parts[1].Length != PrefixLength || parts[2].Length == 0) return null;
        return parts[1];
    }
}
