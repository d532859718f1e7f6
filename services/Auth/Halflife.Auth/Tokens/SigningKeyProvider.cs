using System.Security.Cryptography;
using Halflife.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Halflife.Auth.Tokens;

/// <summary>The key that signs access tokens: from configuration, else generated once and kept in data/secrets.</summary>
public sealed class SigningKeyProvider(IOptions<AuthOptions> options, IOptions<HalflifeOptions> halflife)
{
    private readonly Lazy<SymmetricSecurityKey> _key = new(() => Load(options.Value, halflife.Value));

    public SymmetricSecurityKey Key => _key.Value;

    private static SymmetricSecurityKey Load(AuthOptions options, HalflifeOptions halflife)
    {
        string encoded;
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            encoded = options.SigningKey;
        }
        else
        {
            var path = halflife.ResolveDataPath(Path.Combine("secrets", "auth-signing-key"));
            if (!File.Exists(path)) SecretFile.WriteNew(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            encoded = File.ReadAllText(path).Trim();
        }
        var bytes = Convert.FromBase64String(encoded);
        if (bytes.Length < 32) throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes (base64).");
        return new SymmetricSecurityKey(bytes) { KeyId = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] };
    }
}
