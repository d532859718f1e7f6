using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Security;
using Halflife.Testing;

namespace Halflife.Integration.Tests;

/// <summary>Starts a real Kestrel host on a free loopback port with the given configuration.</summary>
public sealed class TestHost : IAsyncDisposable
{
    private TestHost(WebApplication app) => App = app;

    public WebApplication App { get; }
    public Uri Address => new(App.Urls.First());

    public static async Task<TestHost> StartAsync(Func<string[], Action<WebApplicationBuilder>, WebApplication> create, IDictionary<string, string?> settings)
    {
        var app = create(["--urls", "http://127.0.0.1:0"], builder =>
        {
            // Security is enforced as in production; every host also trusts the tests' own signing key.
            builder.Configuration.AddInMemoryCollection(TestIdentity.Settings());
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await app.StartHalflifeAsync(TestContext.Current.CancellationToken);
        return new TestHost(app);
    }

    /// <summary>A client that calls as an admin with a test token (the slices are not about roles).</summary>
    public HttpClient Client() => Anonymous().WithToken(TestIdentity.Token(Roles.Admin));

    public HttpClient Anonymous() => new() { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
