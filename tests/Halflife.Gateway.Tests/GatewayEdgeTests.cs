using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Halflife.Contracts;
using Halflife.ServiceDefaults.Security;
using Halflife.Testing;

namespace Halflife.Gateway.Tests;

/// <summary>The gateway's protections at the edge: headers, CORS, size and rate limits, forwarded addresses, and the off switch.</summary>
public sealed class GatewayEdgeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Security_headers_are_on_pages_and_on_refusals_and_CORS_is_closed_by_default()
    {
        await using var host = await StandaloneHost.StartAsync();
        using var client = host.Client();
        using var page = await client.GetAsync("/", Ct);
        using var refusal = await client.GetAsync("/api/slides", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refusal.StatusCode);
        foreach (var response in new[] { page, refusal })
        {
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Contains("img-src 'self' blob: data:", csp);
            Assert.Contains("worker-src 'self' blob:", csp);
            Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS only over HTTPS");
        }

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/slides");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        using var answer = await client.SendAsync(preflight, Ct);
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task CORS_opens_only_for_configured_origins()
    {
        await using var host = await StandaloneHost.StartAsync(settings: new() { ["Gateway:Cors:AllowedOrigins:0"] = "https://viewer.example" });
        using var client = host.Client();
        foreach (var (origin, allowed) in new[] { ("https://viewer.example", true), ("https://evil.example", false) })
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/slides");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "GET");
            using var answer = await client.SendAsync(preflight, Ct);
            Assert.Equal(allowed, answer.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin);
        }
    }

    [Fact]
    public async Task Login_is_rate_limited_per_address_with_429_and_Retry_After()
    {
        await using var host = await StandaloneHost.StartAsync(settings: new() { ["Gateway:RateLimits:LoginPerAddressPerMinute"] = "3" });
        using var client = host.Client();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = "user" + i, password = "wrong-password" }, Ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Bodies_are_small_except_on_upload_routes()
    {
        await using var host = await StandaloneHost.StartAsync();
        using var client = host.Client();
        var big = new byte[2 * 1024 * 1024];
        using var login = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = new ByteArrayContent(big) };
        login.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var tooLarge = await client.SendAsync(login, Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);

        using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/ingest/instances") { Content = new ByteArrayContent(big) };
        upload.Content.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
        upload.Headers.Authorization = TestIdentity.Bearer(Roles.Technologist, HalflifeClaims.DefaultProject);
        using var notDicom = await client.SendAsync(upload, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, notDicom.StatusCode);
    }

    [Fact]
    public async Task Forwarded_client_address_from_a_trusted_proxy_reaches_the_audit_log()
    {
        await using var host = await StandaloneHost.StartAsync();
        using var client = host.Client();
        using var login = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { userName = "nobody", password = "wrong-password" }) };
        login.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using (await client.SendAsync(login, Ct)) { }
        client.DefaultRequestHeaders.Authorization = TestIdentity.Bearer(Roles.Admin);
        var audit = await client.GetFromJsonAsync<PagedResult<JsonObject>>("/api/auth/audit?action=login", Ct);
        Assert.Contains(audit!.Items, a => (string?)a["resourceId"] == "nobody" && (string?)a["clientIp"] == "203.0.113.7");
    }

    [Fact]
    public async Task With_enforcement_off_routes_stay_open_but_a_sent_token_is_validated_and_the_user_known()
    {
        await using var host = await StandaloneHost.StartAsync(enforce: false);
        using var client = host.Client();
        using var open = await client.GetAsync("/api/slides", Ct);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);

        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestIdentity.Mint(new TestIdentity.TokenSpec { UserName = "dr.kim", Roles = [Roles.Radiologist] }));
        using var known = await client.SendAsync(me, Ct);
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Contains("dr.kim", await known.Content.ReadAsStringAsync(Ct));

        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        forged.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestIdentity.Mint(new TestIdentity.TokenSpec { UserName = "dr.kim", ForgedSignature = true }));
        using var unknown = await client.SendAsync(forged, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.DoesNotContain("dr.kim", Encoding.UTF8.GetString(await unknown.Content.ReadAsByteArrayAsync(Ct)));
    }
}
