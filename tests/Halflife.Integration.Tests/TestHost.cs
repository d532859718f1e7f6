using Halflife.ServiceDefaults.Hosting;

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
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await app.StartHalflifeAsync(TestContext.Current.CancellationToken);
        return new TestHost(app);
    }

    public HttpClient Client() => new() { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
