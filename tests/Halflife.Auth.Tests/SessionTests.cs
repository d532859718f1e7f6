using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Halflife.Auth.Api;

namespace Halflife.Auth.Tests;

public sealed class SessionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Refresh_rotates_the_token_and_reuse_of_a_used_one_revokes_the_whole_family()
    {
        await using var host = await AuthHost.StartAsync();
        var first = await host.LoginAsync("admin", host.AdminPassword);
        Assert.StartsWith("hlr_", first.RefreshToken);
        using var client = host.Client();

        var second = await RefreshAsync(client, first.RefreshToken!, HttpStatusCode.OK);
        Assert.NotEqual(first.RefreshToken, second!.RefreshToken);
        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.Equal(AuthHost.Payload(first.AccessToken).GetProperty("sid").GetString(), AuthHost.Payload(second.AccessToken).GetProperty("sid").GetString());

        // The first token again: a replay. It fails, and so does the legitimate descendant.
        await RefreshAsync(client, first.RefreshToken!, HttpStatusCode.Unauthorized);
        await RefreshAsync(client, second.RefreshToken!, HttpStatusCode.Unauthorized);

        // Another login is another family and is unaffected.
        var other = await host.LoginAsync("admin", host.AdminPassword);
        Assert.NotNull(await RefreshAsync(client, other.RefreshToken!, HttpStatusCode.OK));
    }

    [Fact]
    public async Task Logout_revokes_the_refresh_family_and_clears_the_cookies()
    {
        await using var host = await AuthHost.StartAsync();
        var login = await host.LoginAsync("admin", host.AdminPassword);
        using var client = host.Client();
        using var logout = await client.PostAsJsonAsync("/api/auth/logout", new RefreshRequest(login.RefreshToken), Ct);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Contains(logout.Headers.GetValues("Set-Cookie"), c => c.StartsWith("halflife_access=;", StringComparison.Ordinal));
        await RefreshAsync(client, login.RefreshToken!, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Login_sets_HttpOnly_SameSite_Strict_cookies_and_the_cookie_authenticates_safe_requests_only_without_the_csrf_header()
    {
        await using var host = await AuthHost.StartAsync();
        using var client = host.Client();
        using var response = await client.PostAsJsonAsync("/api/auth/login", new LoginRequest("admin", host.AdminPassword), Ct);
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        var access = cookies.Single(c => c.StartsWith("halflife_access=", StringComparison.Ordinal));
        Assert.Contains("httponly", access, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", access, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(cookies, c => c.StartsWith("halflife_refresh=", StringComparison.Ordinal) && c.Contains("path=/api/auth", StringComparison.OrdinalIgnoreCase));
        var cookie = access.Split(';')[0];

        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        me.Headers.Add("Cookie", cookie);
        using var meResponse = await client.SendAsync(me, Ct);
        Assert.Equal(HttpStatusCode.OK, meResponse.StatusCode);

        // An unsafe method with only the cookie (what a cross-site form could send) is not authenticated...
        using var rotate = new HttpRequestMessage(HttpMethod.Post, "/api/auth/keys/rotate");
        rotate.Headers.Add("Cookie", cookie);
        using var refused = await client.SendAsync(rotate, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        // ...but it is with the header a cross-site form cannot set.
        using var rotate2 = new HttpRequestMessage(HttpMethod.Post, "/api/auth/keys/rotate");
        rotate2.Headers.Add("Cookie", cookie);
        rotate2.Headers.Add("X-Requested-With", "XMLHttpRequest");
        using var accepted = await client.SendAsync(rotate2, Ct);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task Access_tokens_are_ES256_with_a_published_kid_and_survive_a_key_rotation_until_they_expire()
    {
        await using var host = await AuthHost.StartAsync();
        var login = await host.LoginAsync("admin", host.AdminPassword);
        var header = AuthHost.Header(login.AccessToken);
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        var oldKid = header.GetProperty("kid").GetString();
        var lifetime = login.ExpiresAt - DateTimeOffset.UtcNow;
        Assert.InRange(lifetime, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(15));

        using var client = host.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.AccessToken);
        using var rotated = await client.PostAsync("/api/auth/keys/rotate", null, Ct);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);

        var jwks = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/auth/.well-known/jwks.json", Ct);
        var kids = jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        Assert.Contains(oldKid, kids);
        Assert.Equal(2, kids.Count);
        Assert.All(jwks.GetProperty("keys").EnumerateArray(), k => Assert.False(k.TryGetProperty("d", out _)));

        // The old token still works; a new login is signed with the new key.
        using var me = await client.GetAsync("/api/auth/me", Ct);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var next = await host.LoginAsync("admin", host.AdminPassword);
        Assert.NotEqual(oldKid, AuthHost.Header(next.AccessToken).GetProperty("kid").GetString());
        var discovery = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/auth/.well-known/openid-configuration", Ct);
        Assert.EndsWith("/api/auth/.well-known/jwks.json", discovery.GetProperty("jwks_uri").GetString());
    }

    [Fact]
    public async Task Tampered_tokens_are_refused()
    {
        await using var host = await AuthHost.StartAsync();
        var login = await host.LoginAsync("admin", host.AdminPassword);
        var parts = login.AccessToken.Split('.');
        // Same header and signature, payload with another name: the signature no longer matches.
        var payload = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(AuthHost.Payload(login.AccessToken).GetRawText().Replace("\"admin\"", "\"root\"")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        using var client = host.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", $"{parts[0]}.{payload}.{parts[2]}");
        using var me = await client.GetAsync("/api/auth/me", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", $"{parts[0]}.{parts[1]}.");
        using var unsigned = await client.GetAsync("/api/auth/me", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
    }

    private static async Task<LoginResponse?> RefreshAsync(HttpClient client, string token, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync("/api/auth/refresh", new RefreshRequest(token), Ct);
        Assert.Equal(expected, response.StatusCode);
        return expected == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<LoginResponse>(Ct) : null;
    }
}
