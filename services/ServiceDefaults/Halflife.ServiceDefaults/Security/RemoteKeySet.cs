using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Halflife.ServiceDefaults.Security;

/// <summary>
/// Auth's public keys as seen by a service in another process (<see cref="SecurityOptions.Authority"/>): read from
/// the discovery document's jwks_uri, kept in memory, refreshed every <see cref="SecurityOptions.KeySetRefreshInterval"/>,
/// and fetched again before validation when a token names a kid not in the set, so a token signed with a freshly
/// rotated key is accepted on its first request. JwtBearer's own metadata manager refreshes in the background after
/// the failed request instead, which would answer 401 to the first users of a new key. Unknown kids trigger at most
/// one fetch per <see cref="SecurityOptions.KeySetMinRefetchInterval"/>, so forged kids cannot make a service hammer Auth.
/// </summary>
public sealed class RemoteKeySet(IOptions<SecurityOptions> options, ILogger<RemoteKeySet> logger) : ISigningKeySource, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile IReadOnlyList<SecurityKey> _keys = [];
    // UTC ticks of the last fetch attempt, read without the lock (hence a long with Volatile, not a DateTimeOffset).
    private long _fetchedAt;

    public IEnumerable<SecurityKey> ValidationKeys() => _keys;

    /// <summary>Makes sure the set is fresh and, within the rate limit, that it has been checked for <paramref name="kid"/>.</summary>
    public async Task EnsureAsync(string? kid, CancellationToken cancellationToken)
    {
        var security = options.Value;
        if (string.IsNullOrWhiteSpace(security.Authority) || !NeedsFetch(kid, security)) return;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Another request may have fetched while this one waited.
            if (!NeedsFetch(kid, security)) return;
            _keys = await FetchAsync(security, cancellationToken);
            logger.LogInformation("Fetched {Count} signing key(s) from {Authority}", _keys.Count, security.Authority);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or ArgumentException or InvalidOperationException)
        {
            // The old keys stay; tokens under an unknown kid fail validation (401) until Auth answers again.
            logger.LogWarning("Signing keys could not be fetched from {Authority}: {Reason}", security.Authority, e.Message);
        }
        finally
        {
            Volatile.Write(ref _fetchedAt, DateTime.UtcNow.Ticks);
            _gate.Release();
        }
    }

    private bool NeedsFetch(string? kid, SecurityOptions security)
    {
        var age = TimeSpan.FromTicks(DateTime.UtcNow.Ticks - Volatile.Read(ref _fetchedAt));
        if (age > security.KeySetRefreshInterval) return true;
        return kid is not null && age > security.KeySetMinRefetchInterval && !_keys.Any(k => k.KeyId == kid);
    }

    private async Task<IReadOnlyList<SecurityKey>> FetchAsync(SecurityOptions security, CancellationToken cancellationToken)
    {
        var discovery = security.Authority!.TrimEnd('/') + "/api/auth/.well-known/openid-configuration";
        using var document = JsonDocument.Parse(await GetAsync(discovery, security, cancellationToken));
        var jwksUri = document.RootElement.TryGetProperty("jwks_uri", out var uri) && uri.GetString() is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{discovery} names no jwks_uri.");
        var set = new JsonWebKeySet(await GetAsync(jwksUri, security, cancellationToken));
        return set.GetSigningKeys().ToList();
    }

    private async Task<string> GetAsync(string address, SecurityOptions security, CancellationToken cancellationToken)
    {
        var target = new Uri(address);
        if (security.RequireHttpsMetadata && target.Scheme != Uri.UriSchemeHttps)
            throw new InvalidOperationException($"{address} is not HTTPS (Security:RequireHttpsMetadata is true).");
        using var response = await _http.GetAsync(target, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
    }
}
