using System.Net;
using System.Net.Http.Json;
using Halflife.Auth.Api;
using Halflife.Auth.External;
using Microsoft.AspNetCore.WebUtilities;

namespace Halflife.Auth.Tests;

public sealed class ExternalLoginTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> Providers(FakeOAuthProvider fake) => new()
    {
        ["Auth:External:hospital:Type"] = "Oidc",
        ["Auth:External:hospital:ClientId"] = "halflife-test",
        ["Auth:External:hospital:ClientSecret"] = "s3cret",
        ["Auth:External:hospital:Authority"] = fake.Address.ToString().TrimEnd('/'),
        ["Auth:External:hospital:Scopes:0"] = "openid",
        ["Auth:External:kakao:Type"] = "Kakao",
        ["Auth:External:kakao:ClientId"] = "kakao-rest-key",
        ["Auth:External:kakao:AuthorizationEndpoint"] = new Uri(fake.Address, "/authorize").ToString(),
        ["Auth:External:kakao:TokenEndpoint"] = new Uri(fake.Address, "/token").ToString(),
        ["Auth:External:kakao:UserInfoEndpoint"] = new Uri(fake.Address, "/v2/user/me").ToString(),
    };

    /// <summary>A browser: keeps cookies per site, does not follow redirects (the test walks them).</summary>
    private static HttpClient Browser(out CookieContainer cookies)
    {
        cookies = new CookieContainer();
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies, UseCookies = true, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };
    }

    [Theory]
    [InlineData("hospital", "hospital:4711")]
    [InlineData("kakao", "kakao:4711")]
    public async Task Code_flow_with_state_and_PKCE_creates_a_user_without_roles_and_signs_the_browser_in(string provider, string expectedUser)
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        await using var host = await AuthHost.StartAsync(Providers(fake));
        using var browser = Browser(out _);

        using var start = await browser.GetAsync(new Uri(host.Address, $"/api/auth/external/{provider}/login?returnUrl=/slides"), Ct);
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        var query = QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(43, query["code_challenge"].ToString().Length);
        Assert.Equal(new Uri(host.Address, $"/api/auth/external/{provider}/callback").ToString(), query["redirect_uri"]);

        using var approved = await browser.GetAsync(authorize, Ct);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        using var callback = await browser.GetAsync(approved.Headers.Location!, Ct);
        Assert.True(callback.StatusCode == HttpStatusCode.Redirect, await callback.Content.ReadAsStringAsync(Ct));
        Assert.Equal("/slides", callback.Headers.Location!.OriginalString);
        Assert.Empty(fake.RefusedTokenRequests);

        // The access cookie now authenticates the browser; the new user has no role until an admin grants one.
        var me = await browser.GetFromJsonAsync<MeResponse>(new Uri(host.Address, "/api/auth/me"), Ct);
        Assert.Equal(expectedUser, me!.Name);
        Assert.Empty(me.Roles);

        // A second login maps to the same user.
        using var again = await browser.GetAsync(new Uri(host.Address, $"/api/auth/external/{provider}/login"), Ct);
        using var approvedAgain = await browser.GetAsync(again.Headers.Location!, Ct);
        using var callbackAgain = await browser.GetAsync(approvedAgain.Headers.Location!, Ct);
        Assert.Equal("/", callbackAgain.Headers.Location!.OriginalString);
        using var admin = await host.AdminAsync();
        var users = await admin.GetFromJsonAsync<List<UserDto>>("/api/auth/users", Ct);
        Assert.Single(users!, u => u.UserName == expectedUser);
    }

    [Fact]
    public async Task Callback_is_refused_with_a_wrong_state_from_another_browser_or_twice()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        await using var host = await AuthHost.StartAsync(Providers(fake));
        using var victim = Browser(out _);
        using var attacker = Browser(out _);

        // The attacker starts a login and gets a code for their own account...
        using var start = await attacker.GetAsync(new Uri(host.Address, "/api/auth/external/hospital/login"), Ct);
        using var approved = await attacker.GetAsync(start.Headers.Location!, Ct);
        var callbackUrl = approved.Headers.Location!;
        // ...and makes the victim's browser open the callback (login CSRF): no matching cookie, refused.
        using var csrf = await victim.GetAsync(callbackUrl, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, csrf.StatusCode);

        // Right browser, tampered state: refused.
        var tampered = QueryHelpers.AddQueryString(callbackUrl.GetLeftPart(UriPartial.Path), new Dictionary<string, string?>
        {
            ["code"] = QueryHelpers.ParseQuery(callbackUrl.Query)["code"], ["state"] = "not-the-state",
        });
        using var wrongState = await attacker.GetAsync(tampered, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrongState.StatusCode);
        // The state cookie is single use: even the genuine callback now fails.
        using var replay = await attacker.GetAsync(callbackUrl, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal(0, fake.TokensIssued);
    }

    [Fact]
    public async Task A_code_without_the_right_verifier_is_useless_at_the_provider()
    {
        await using var fake = await FakeOAuthProvider.StartAsync();
        await using var host = await AuthHost.StartAsync(Providers(fake));
        using var browser = Browser(out _);
        using var start = await browser.GetAsync(new Uri(host.Address, "/api/auth/external/hospital/login"), Ct);
        using var approved = await browser.GetAsync(start.Headers.Location!, Ct);
        var code = QueryHelpers.ParseQuery(approved.Headers.Location!.Query)["code"].ToString();

        // Someone who intercepted the code redeems it without the verifier that only the Auth service holds.
        using var direct = new HttpClient();
        using var stolen = await direct.PostAsync(new Uri(fake.Address, "/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["client_id"] = "halflife-test",
            ["redirect_uri"] = new Uri(host.Address, "/api/auth/external/hospital/callback").ToString(), ["code_verifier"] = "guessed-verifier-guessed-verifier-guessed",
        }), Ct);
        Assert.True(stolen.StatusCode == HttpStatusCode.BadRequest, await stolen.Content.ReadAsStringAsync(Ct));
        Assert.Contains("PKCE", fake.RefusedTokenRequests.Single());
    }

    [Fact]
    public async Task Kakao_defaults_point_at_Kakao_and_an_unknown_provider_is_404()
    {
        var kakao = new ExternalProviderOptions { Type = ExternalProviderType.Kakao, ClientId = "x" }.Resolved();
        Assert.Equal("https://kauth.kakao.com/oauth/authorize", kakao.AuthorizationEndpoint);
        Assert.Equal("https://kauth.kakao.com/oauth/token", kakao.TokenEndpoint);
        Assert.Equal("https://kapi.kakao.com/v2/user/me", kakao.UserInfoEndpoint);

        await using var host = await AuthHost.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:External:kakao:Type"] = "Kakao", ["Auth:External:kakao:ClientId"] = "kakao-rest-key",
        });
        using var browser = Browser(out _);
        using var start = await browser.GetAsync(new Uri(host.Address, "/api/auth/external/kakao/login?returnUrl=//evil.example/"), Ct);
        Assert.StartsWith("https://kauth.kakao.com/oauth/authorize?", start.Headers.Location!.ToString());
        Assert.Contains("client_id=kakao-rest-key", start.Headers.Location!.Query);
        using var unknown = await browser.GetAsync(new Uri(host.Address, "/api/auth/external/nope/login"), Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
