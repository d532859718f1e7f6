using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Halflife.Auth.Users;
using Halflife.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Auth.ApiKeys;

public sealed record CreatedApiKey(Guid Id, string Name, string Key, IReadOnlyList<string> Scopes, IReadOnlyList<string> Projects, DateTimeOffset? ExpiresAt);

/// <summary>
/// API keys for machine clients. The full key is "hlk_{prefix}_{secret}" (<see cref="ApiKeyFormat"/>) with 256 random bits of secret; only its
/// SHA-256 is stored (a high-entropy secret needs no slow hash), compared in constant time after lookup by prefix.
/// </summary>
public sealed class ApiKeyService(IServiceScopeFactory scopes, TimeProvider clock) : IApiKeyValidator
{
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<CreatedApiKey> CreateAsync(AuthDbContext db, string name, IReadOnlyList<string> scopes, IReadOnlyList<string> projects,
        DateTimeOffset? expiresAt, string createdBy, CancellationToken cancellationToken)
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(ApiKeyFormat.PrefixLength / 2));
        var key = ApiKeyFormat.Compose(prefix, RandomNumberGenerator.GetBytes(32));
        var row = new ApiKey
        {
            Id = Guid.CreateVersion7(), Prefix = prefix, SecretHash = Hash(key), Name = name, Scopes = string.Join(',', scopes),
            Projects = string.Join(',', projects), CreatedBy = createdBy, CreatedAt = clock.GetUtcNow().UtcDateTime, ExpiresAt = expiresAt?.UtcDateTime,
        };
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedApiKey(row.Id, name, key, scopes, projects, expiresAt);
    }

    public async Task<ClaimsPrincipal?> ValidateAsync(string apiKey, CancellationToken cancellationToken)
    {
        var row = await FindAsync(apiKey, cancellationToken);
        return row is null ? null : new ClaimsPrincipal(new ClaimsIdentity(ClaimsOf(row), ApiKeyAuthenticationHandler.SchemeName, HalflifeClaims.Name, HalflifeClaims.Role));
    }

    /// <summary>The live key row for a presented key, or null; records when it was last used.</summary>
    public async Task<ApiKey?> FindAsync(string apiKey, CancellationToken cancellationToken)
    {
        if (ApiKeyFormat.PrefixOf(apiKey) is not { } prefix) return null;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var row = await db.ApiKeys.FirstOrDefaultAsync(k => k.Prefix == prefix, cancellationToken);
        if (row is null) return null;
        var presented = Encoding.ASCII.GetBytes(Hash(apiKey));
        if (!CryptographicOperations.FixedTimeEquals(presented, Encoding.ASCII.GetBytes(row.SecretHash))) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        if (row.RevokedAt is not null || row.ExpiresAt <= now) return null;
        if (row.LastUsedAt is null || now - row.LastUsedAt > LastUsedResolution)
        {
            row.LastUsedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }
        return row;
    }

    public static List<Claim> ClaimsOf(ApiKey row)
    {
        var claims = new List<Claim>
        {
            new(HalflifeClaims.Subject, "apikey:" + row.Id),
            new(HalflifeClaims.Name, row.Name),
            new(HalflifeClaims.ApiKeyId, row.Id.ToString()),
        };
        claims.AddRange(Split(row.Scopes).Select(s => new Claim(HalflifeClaims.Role, s)));
        claims.AddRange(Split(row.Projects).Select(p => new Claim(HalflifeClaims.Project, p)));
        return claims;
    }

    public static IReadOnlyList<string> Split(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries);

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
