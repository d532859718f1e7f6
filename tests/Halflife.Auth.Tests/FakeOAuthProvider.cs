using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Halflife.Auth.Tests;

/// <summary>
/// A tiny OAuth2 provider on loopback, strict where a real one is: a code is for one client and redirect URI, works
/// once, and only with the PKCE verifier whose S256 challenge came with the authorization request. It serves both
/// an OpenID Connect shaped user info (/userinfo) and Kakao's (/v2/user/me).
/// </summary>
public sealed class FakeOAuthProvider : IAsyncDisposable
{
    private sealed record Grant(string ClientId, string RedirectUri, string Challenge, string Subject);

    private readonly ConcurrentDictionary<string, Grant> _codes = new();
    private readonly ConcurrentDictionary<string, string> _tokens = new();
    private WebApplication _app = null!;

    public string Subject { get; set; } = "4711";
    public ConcurrentQueue<string> RefusedTokenRequests { get; } = new();
    public int TokensIssued => _tokens.Count;
    public Uri Address => new(_app.Urls.First());

    public static async Task<FakeOAuthProvider> StartAsync()
    {
        var provider = new FakeOAuthProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/authorize", (HttpContext http) => provider.Authorize(http));
        // As a Delegate: a lambda of HttpContext returning a Task would bind as a RequestDelegate and drop the result.
        app.MapPost("/token", (Delegate)(async (HttpContext http) => await provider.TokenAsync(http)));
        app.MapGet("/userinfo", (HttpContext http) => provider.UserInfo(http, kakao: false));
        app.MapGet("/v2/user/me", (HttpContext http) => provider.UserInfo(http, kakao: true));
        app.MapGet("/.well-known/openid-configuration", (HttpContext http) =>
        {
            var root = $"http://{http.Request.Host}";
            return Results.Json(new Dictionary<string, string>
            {
                ["issuer"] = root, ["authorization_endpoint"] = root + "/authorize", ["token_endpoint"] = root + "/token", ["userinfo_endpoint"] = root + "/userinfo",
            });
        });
        provider._app = app;
        await app.StartAsync(TestContext.Current.CancellationToken);
        return provider;
    }

    /// <summary>The user "approves" at once: redirect back with a code bound to the challenge.</summary>
    private IResult Authorize(HttpContext http)
    {
        var q = http.Request.Query;
        if (q["response_type"] != "code" || q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["code_challenge"]) || string.IsNullOrEmpty(q["state"]))
            return Results.BadRequest("authorization request without code, S256 PKCE or state");
        var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _codes[code] = new Grant(q["client_id"]!, q["redirect_uri"]!, q["code_challenge"]!, Subject);
        return Results.Redirect(QueryHelpers.AddQueryString(q["redirect_uri"]!, new Dictionary<string, string?> { ["code"] = code, ["state"] = q["state"] }));
    }

    private async Task<IResult> TokenAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var grant))
            return Refuse("unknown or used code");
        if (grant.ClientId != form["client_id"] || grant.RedirectUri != form["redirect_uri"]) return Refuse("client or redirect_uri mismatch");
        var verifier = form["code_verifier"].ToString();
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        if (string.IsNullOrEmpty(verifier) || challenge != grant.Challenge) return Refuse("PKCE verifier does not match the challenge");
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _tokens[token] = grant.Subject;
        return Results.Json(new { access_token = token, token_type = "bearer", expires_in = 300 });

        IResult Refuse(string why)
        {
            RefusedTokenRequests.Enqueue(why);
            return Results.Json(new { error = "invalid_grant", error_description = why }, statusCode: 400);
        }
    }

    private IResult UserInfo(HttpContext http, bool kakao)
    {
        var auth = http.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || !_tokens.TryGetValue(auth[7..], out var subject)) return Results.Unauthorized();
        return kakao
            ? Results.Json(new { id = long.Parse(subject), kakao_account = new { email = "hong@example.kr", profile = new { nickname = "홍길동" } } })
            : Results.Json(new { sub = subject, preferred_username = "dr.hong", email = "hong@example.org" });
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
