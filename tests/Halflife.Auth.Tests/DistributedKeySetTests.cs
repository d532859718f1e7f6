using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Security;
using Halflife.Testing;

namespace Halflife.Auth.Tests;

/// <summary>
/// The distributed deployment's token check: a service in its own process, configured only with
/// Security:Authority, validates Auth's tokens by fetching the discovery document and key set over HTTP, and after
/// a key rotation fetches the new key when a token names its kid. Two real hosts on loopback.
/// </summary>
public sealed class DistributedKeySetTests
{
    private static CancellationToken Ct => AuthHost.Ct;

    [Fact]
    public async Task A_service_validates_auth_tokens_from_the_fetched_key_set_and_picks_up_a_rotated_key()
    {
        var keySet = new KeySetCounter();
        await using var auth = await AuthHost.StartAsync(extra: keySet);
        var data = Path.Combine(Path.GetTempPath(), "halflife-probe-" + Guid.NewGuid().ToString("N"));
        // The rotation below follows the first fetch within a second; production spaces unknown-kid fetches 5 s apart.
        var service = await ProbeService.StartAsync(auth.Address, data, minRefetch: "00:00:00");
        try
        {
            await RunAsync(auth, service, keySet);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
            await service.DisposeAsync();
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }

    private static async Task RunAsync(AuthHost auth, WebApplication service, KeySetCounter keySet)
    {
        using var client = new HttpClient { BaseAddress = new Uri(service.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };

        var first = (await auth.LoginAsync("admin", auth.AdminPassword)).AccessToken;
        var firstKid = AuthHost.Header(first).GetProperty("kid").GetString();
        Assert.Equal("admin", await WhoAmIAsync(client, first));
        Assert.Equal(1, keySet.Fetches);

        using (var admin = auth.Client())
        {
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", first);
            using var rotated = await admin.PostAsync("/api/auth/keys/rotate", null, Ct);
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        }
        var second = (await auth.LoginAsync("admin", auth.AdminPassword)).AccessToken;
        Assert.NotEqual(firstKid, AuthHost.Header(second).GetProperty("kid").GetString());

        // The service has never seen the new kid: it refetches the key set once, within this very request.
        Assert.Equal("admin", await WhoAmIAsync(client, second));
        Assert.Equal(2, keySet.Fetches);
        // The old key stays published until its tokens expire.
        Assert.Equal("admin", await WhoAmIAsync(client, first));

        // What Auth did not sign is refused: a token under a kid Auth never published, and no token at all.
        using (var forged = await SendAsync(client, TestIdentity.Token(Roles.Admin)))
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        using (var anonymous = await SendAsync(client, null))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Tokens_with_unknown_kids_do_not_make_the_service_fetch_the_key_set_again_within_the_interval()
    {
        var keySet = new KeySetCounter();
        await using var auth = await AuthHost.StartAsync(extra: keySet);
        var data = Path.Combine(Path.GetTempPath(), "halflife-probe-" + Guid.NewGuid().ToString("N"));
        var service = await ProbeService.StartAsync(auth.Address, data, minRefetch: "01:00:00");
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(service.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };
            var token = (await auth.LoginAsync("admin", auth.AdminPassword)).AccessToken;
            Assert.Equal("admin", await WhoAmIAsync(client, token));
            for (var i = 0; i < 5; i++)
            {
                var forged = TestIdentity.Mint(new TestIdentity.TokenSpec { Roles = [Roles.Admin] });
                using var refused = await SendAsync(client, forged);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            }
            Assert.Equal(1, keySet.Fetches);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
            await service.DisposeAsync();
            if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<string?> WhoAmIAsync(HttpClient client, string token)
    {
        using var response = await SendAsync(client, token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.Content.ReadAsStringAsync(Ct);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ProbeService.Route);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request, Ct);
    }

    /// <summary>Counts the key-set downloads the Auth host serves.</summary>
    private sealed class KeySetCounter : IServiceModule
    {
        private int _fetches;
        public int Fetches => Volatile.Read(ref _fetches);
        public string Name => "key-set-counter";
        public void Add(WebApplicationBuilder builder) { }
        public void Map(WebApplication app) => app.Use((context, next) =>
        {
            if (context.Request.Path.Value?.EndsWith("/.well-known/jwks.json", StringComparison.Ordinal) == true) Interlocked.Increment(ref _fetches);
            return next(context);
        });
    }

    /// <summary>A service process without Auth: one /api route that answers with the caller's name.</summary>
    private sealed class ProbeService : IServiceModule
    {
        public const string Route = "/api/probe/whoami";

        public string Name => "probe";

        public void Add(WebApplicationBuilder builder) { }

        public void Map(WebApplication app) => app.MapGet(Route, (HttpContext http) => Results.Text(http.User.Identity?.Name ?? ""));

        public static async Task<WebApplication> StartAsync(Uri authority, string dataDirectory, string minRefetch)
        {
            var app = HalflifeApplication.Create(["--urls", "http://127.0.0.1:0"], "probe", [new ProbeService()], builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Halflife:DataDirectory"] = dataDirectory,
                    ["Security:Enforce"] = "true",
                    ["Security:Authority"] = authority.ToString(),
                    ["Security:RequireHttpsMetadata"] = "false",
                    ["Security:KeySetMinRefetchInterval"] = minRefetch,
                });
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
            });
            await app.StartHalflifeAsync(Ct);
            return app;
        }
    }
}
