using System.Net.Http.Headers;
using System.Text.Json;

namespace Halflife.Auth.External;

public sealed record ExternalIdentity(string Subject, string? Name, string? Email);

public sealed class ExternalLoginException(string message) : Exception(message);

/// <summary>The back-channel half of the authorization-code flow: discovery, code exchange (with the PKCE verifier), user info.</summary>
public sealed class OAuthClient(HttpClient http)
{
    private const int MaxResponseBytes = 1024 * 1024;

    public async Task<ExternalProviderOptions> ResolveEndpointsAsync(ExternalProviderOptions provider, CancellationToken cancellationToken)
    {
        provider = provider.Resolved();
        if (provider.AuthorizationEndpoint is not null && provider.TokenEndpoint is not null && provider.UserInfoEndpoint is not null) return provider;
        if (string.IsNullOrWhiteSpace(provider.Authority))
            throw new ExternalLoginException("The provider needs Authority or AuthorizationEndpoint, TokenEndpoint and UserInfoEndpoint.");
        using var doc = await GetJsonAsync(provider.Authority.TrimEnd('/') + "/.well-known/openid-configuration", null, cancellationToken);
        provider.AuthorizationEndpoint ??= doc.RootElement.GetProperty("authorization_endpoint").GetString();
        provider.TokenEndpoint ??= doc.RootElement.GetProperty("token_endpoint").GetString();
        provider.UserInfoEndpoint ??= doc.RootElement.GetProperty("userinfo_endpoint").GetString();
        return provider;
    }

    public async Task<string> ExchangeCodeAsync(ExternalProviderOptions provider, string code, string redirectUri, string codeVerifier,
        CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirectUri,
            ["client_id"] = provider.ClientId, ["code_verifier"] = codeVerifier,
        };
        if (!string.IsNullOrEmpty(provider.ClientSecret)) form["client_secret"] = provider.ClientSecret;
        using var response = await http.PostAsync(provider.TokenEndpoint, new FormUrlEncodedContent(form), cancellationToken);
        var body = await ReadLimitedAsync(response, cancellationToken);
        if (!response.IsSuccessStatusCode) throw new ExternalLoginException($"The provider refused the code ({(int)response.StatusCode}).");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.TryGetProperty("access_token", out var token) && token.GetString() is { Length: > 0 } value
            ? value
            : throw new ExternalLoginException("The provider's token response has no access_token.");
    }

    /// <summary>Kakao: {"id": 123, "kakao_account": {"email", "profile": {"nickname"}}}; OIDC: {"sub", "name", "preferred_username", "email"}.</summary>
    public async Task<ExternalIdentity> GetUserAsync(ExternalProviderOptions provider, string accessToken, CancellationToken cancellationToken)
    {
        using var doc = await GetJsonAsync(provider.UserInfoEndpoint!, accessToken, cancellationToken);
        var root = doc.RootElement;
        if (provider.Type == ExternalProviderType.Kakao)
        {
            var id = root.TryGetProperty("id", out var idElement) ? idElement.ToString() : null;
            if (string.IsNullOrEmpty(id)) throw new ExternalLoginException("Kakao's user info has no id.");
            root.TryGetProperty("kakao_account", out var account);
            string? nickname = null, email = null;
            if (account.ValueKind == JsonValueKind.Object)
            {
                if (account.TryGetProperty("profile", out var profile) && profile.TryGetProperty("nickname", out var n)) nickname = n.GetString();
                if (account.TryGetProperty("email", out var e)) email = e.GetString();
            }
            return new ExternalIdentity(id, nickname, email);
        }
        var sub = root.TryGetProperty("sub", out var s) ? s.GetString() : null;
        if (string.IsNullOrEmpty(sub)) throw new ExternalLoginException("The provider's user info has no sub.");
        var name = Str(root, "preferred_username") ?? Str(root, "name");
        return new ExternalIdentity(sub, name, Str(root, "email"));
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private async Task<JsonDocument> GetJsonAsync(string url, string? bearer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await ReadLimitedAsync(response, cancellationToken);
        if (!response.IsSuccessStatusCode) throw new ExternalLoginException($"{url} answered {(int)response.StatusCode}.");
        return JsonDocument.Parse(body);
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > MaxResponseBytes) throw new ExternalLoginException("The provider's response is too large.");
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes) throw new ExternalLoginException("The provider's response is too large.");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
