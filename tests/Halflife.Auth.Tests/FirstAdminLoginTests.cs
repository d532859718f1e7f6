using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Halflife.Auth.Api;
using Halflife.Auth.Users;
using Halflife.ServiceDefaults.Hosting;

namespace Halflife.Auth.Tests;

public sealed class FirstAdminLoginTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "halflife-auth-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task First_start_writes_a_private_one_time_password_that_logs_the_admin_in()
    {
        await using var app = await StartAsync();
        var path = Path.Combine(_data, FirstAdminBootstrap.PasswordFileName);
        Assert.True(File.Exists(path));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var password = (await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)).Trim();
        Assert.Equal(20, password.Length);

        using var client = Client(app);
        using var response = await client.PostAsJsonAsync("/api/auth/login", new LoginRequest("admin", password), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var login = await response.Content.ReadFromJsonAsync<LoginResponse>(TestContext.Current.CancellationToken);
        var claims = Payload(login!.AccessToken);
        Assert.Equal("admin", claims.GetProperty("name").GetString());
        Assert.Equal("admin", claims.GetProperty("role").GetString());
        Assert.True(login.ExpiresAt > DateTimeOffset.UtcNow && login.ExpiresAt < DateTimeOffset.UtcNow.AddHours(1));
    }

    [Fact]
    public async Task A_second_start_keeps_the_admin_and_does_not_write_a_new_password()
    {
        await using (await StartAsync()) { }
        var path = Path.Combine(_data, FirstAdminBootstrap.PasswordFileName);
        var first = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        await using var again = await StartAsync();
        Assert.Equal(first, await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Wrong_passwords_get_401_and_lock_the_account_after_five_tries()
    {
        await using var app = await StartAsync();
        var password = (await File.ReadAllTextAsync(Path.Combine(_data, FirstAdminBootstrap.PasswordFileName), TestContext.Current.CancellationToken)).Trim();
        using var client = Client(app);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await client.PostAsJsonAsync("/api/auth/login", new LoginRequest("admin", "wrong" + i), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        using var locked = await client.PostAsJsonAsync("/api/auth/login", new LoginRequest("admin", password), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Locked, locked.StatusCode);
        using var unknown = await client.PostAsJsonAsync("/api/auth/login", new LoginRequest("nobody", password), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
    }

    [Fact]
    public void Password_hashes_are_salted_and_verified_in_constant_time_form()
    {
        var a = PasswordHasher.Hash("비밀번호-secret");
        var b = PasswordHasher.Hash("비밀번호-secret");
        Assert.NotEqual(a, b);
        Assert.StartsWith($"pbkdf2-sha256${PasswordHasher.Iterations}$", a);
        Assert.True(PasswordHasher.Verify("비밀번호-secret", a));
        Assert.False(PasswordHasher.Verify("비밀번호-Secret", a));
        Assert.False(PasswordHasher.Verify("x", "not-a-hash"));
    }

    private async Task<WebApplication> StartAsync()
    {
        var app = HalflifeApplication.Create(["--urls", "http://127.0.0.1:0"], "auth", [new AuthModule()], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Halflife:DataDirectory"] = _data });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await app.StartHalflifeAsync(TestContext.Current.CancellationToken);
        return app;
    }

    private static HttpClient Client(WebApplication app) => new() { BaseAddress = new Uri(app.Urls.First()) };

    private static JsonElement Payload(string jwt)
    {
        var part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + (4 - part.Length % 4) % 4, '=');
        return JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(part))).RootElement;
    }

    public void Dispose()
    {
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }
}
