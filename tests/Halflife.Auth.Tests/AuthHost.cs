using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Halflife.Auth.Api;
using Halflife.Auth.Users;
using Halflife.ServiceDefaults.Hosting;

namespace Halflife.Auth.Tests;

/// <summary>The Auth service alone on SQLite in a temporary data folder, with Security:Enforce on.</summary>
public sealed class AuthHost : IAsyncDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "halflife-auth-" + Guid.NewGuid().ToString("N"));

    public WebApplication App { get; private set; } = null!;
    public Uri Address => new(App.Urls.First());
    public string DataFolder => _data;

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<AuthHost> StartAsync(Dictionary<string, string?>? settings = null, IServiceModule? extra = null)
    {
        var host = new AuthHost();
        IServiceModule[] modules = extra is null ? [new AuthModule()] : [new AuthModule(), extra];
        host.App = HalflifeApplication.Create(["--urls", "http://127.0.0.1:0"], "auth", modules, builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Halflife:DataDirectory"] = host._data,
                ["Security:Enforce"] = "true",
            });
            if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await host.App.StartHalflifeAsync(Ct);
        return host;
    }

    public HttpClient Client(HttpMessageHandler? handler = null) =>
        new(handler ?? new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };

    public string AdminPassword => File.ReadAllText(Path.Combine(_data, FirstAdminBootstrap.PasswordFileName)).Trim();

    public async Task<LoginResponse> LoginAsync(string user, string password)
    {
        using var client = Client();
        using var response = await client.PostAsJsonAsync("/api/auth/login", new LoginRequest(user, password), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<LoginResponse>(Ct))!;
    }

    public async Task<HttpClient> AdminAsync()
    {
        var login = await LoginAsync("admin", AdminPassword);
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.AccessToken);
        return client;
    }

    /// <summary>Creates a user through the admin API and returns its id.</summary>
    public async Task<Guid> CreateUserAsync(HttpClient admin, string name, string password, params string[] roles)
    {
        using var response = await admin.PostAsJsonAsync("/api/auth/users", new CreateUserRequest(name, password, roles, null, null), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<UserDto>(Ct))!.Id;
    }

    public static JsonElement Payload(string jwt) => Part(jwt, 1);

    public static JsonElement Header(string jwt) => Part(jwt, 0);

    private static JsonElement Part(string jwt, int index)
    {
        var part = jwt.Split('.')[index].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + (4 - part.Length % 4) % 4, '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(part))).RootElement;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }
}
