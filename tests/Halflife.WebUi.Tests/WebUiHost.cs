using System.Net.Http.Headers;
using System.Net.Http.Json;
using Halflife.ServiceDefaults.Hosting;
using Halflife.Standalone;
using Microsoft.Playwright;

namespace Halflife.WebUi.Tests;

[CollectionDefinition(Name)]
public sealed class WebUiCollection : ICollectionFixture<WebUiHost>
{
    public const string Name = "web-ui";
}

/// <summary>
/// The real one-process product (every module, the gateway serving gateway/web/dist) on a free loopback port with a
/// fresh data directory, and Debian's Chromium driven by Playwright. Started once for the browser tests.
/// </summary>
public sealed class WebUiHost : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "halflife-webui-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;
    private IPlaywright? _playwright;

    public Uri Address { get; private set; } = new("http://127.0.0.1/");
    public IBrowser Browser { get; private set; } = null!;
    public string AdminPassword { get; private set; } = "";
    public const string AdminUser = "admin";

    public bool Started => _app is not null;

    public async ValueTask InitializeAsync()
    {
        // Nothing to start when the prerequisites are missing: each test then skips or fails with the reason.
        if (Prerequisites.Missing() is not null) return;

        _app = await StartAsync(serveFilesFirst: false);
        AssetProblem = await CheckUiScriptAsync();
        if (AssetProblem is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = await StartAsync(serveFilesFirst: true);
        }
        AdminPassword = (await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "initial-admin-password"))).Trim();

        _playwright = await Playwright.CreateAsync();
        // Two shared cores under a full test run: give UI assertions the same patience as actions.
        Assertions.SetDefaultExpectTimeout(30_000);
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Prerequisites.Chromium,
            Headless = true,
            // Debian's Chromium as root, on a machine without network: no sandbox, no GPU, no calls home.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--lang=ko-KR",
            ],
        });
    }

    /// <summary>Why the gateway did not serve the UI's script as JavaScript, or null when it did.</summary>
    public string? AssetProblem { get; private set; }

    private async Task<WebApplication> StartAsync(bool serveFilesFirst)
    {
        var app = StandaloneApp.Create(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Halflife:DataDirectory"] = _dataDirectory,
                ["Gateway:WebRoot"] = Prerequisites.WebRoot,
                ["Ingest:Dicom:Enabled"] = "false", // the browser test needs no DICOM port
            });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            if (serveFilesFirst) builder.Services.AddTransient<IStartupFilter>(_ => new UiFilesFirst(Prerequisites.WebRoot));
        });
        await app.StartHalflifeAsync(CancellationToken.None);
        Address = new Uri(app.Urls.First());
        return app;
    }

    private async Task<string?> CheckUiScriptAsync()
    {
        var script = Directory.GetFiles(Path.Combine(Prerequisites.WebRoot, "assets"), "*.js").FirstOrDefault();
        if (script is null) return "dist/assets has no script.";
        using var client = new HttpClient { BaseAddress = Address };
        using var response = await client.GetAsync("/assets/" + Path.GetFileName(script));
        var type = response.Content.Headers.ContentType?.MediaType;
        return response.IsSuccessStatusCode && type is "text/javascript" or "application/javascript"
            ? null
            : $"GET /assets/{Path.GetFileName(script)} answered {(int)response.StatusCode} {type} instead of the script.";
    }

    /// <summary>A fresh browser context (its own sessionStorage) with a page at the UI's address.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address.ToString(),
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            Locale = "ko-KR",
        });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        // The browser's own complaints end up in the test output, next to the screenshots.
        var output = TestContext.Current.TestOutputHelper;
        void Log(string line)
        {
            try
            {
                output?.WriteLine(line);
            }
            catch (InvalidOperationException)
            {
                // The test has ended; a late message from its page has nowhere to go.
            }
        }
        page.Console += (_, message) => { if (message.Type is "error" or "warning") Log($"browser {message.Type}: {message.Text}"); };
        page.PageError += (_, error) => Log($"page error: {error}");
        return page;
    }

    /// <summary>An API client logged in as the admin (for setting up data the way a scanner or script would).</summary>
    public async Task<HttpClient> ApiClientAsync()
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(120) };
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = AdminUser, password = AdminPassword });
        response.EnsureSuccessStatusCode();
        var login = await response.Content.ReadFromJsonAsync<LoginAnswer>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login!.AccessToken);
        return client;
    }

    private sealed record LoginAnswer(string AccessToken);

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a background task; the temp folder is cleaned by the OS eventually.
        }
    }
}
