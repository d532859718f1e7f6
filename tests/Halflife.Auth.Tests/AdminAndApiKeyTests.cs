using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Halflife.Auth.ApiKeys;
using Halflife.Auth.Api;
using Halflife.Auth.Users;
using Halflife.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Auth.Tests;

public sealed class AdminAndApiKeyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Admin_creates_users_and_projects_and_membership_and_roles_reach_the_token()
    {
        await using var host = await AuthHost.StartAsync();
        using var admin = await host.AdminAsync();
        using var weak = await admin.PostAsJsonAsync("/api/auth/users", new CreateUserRequest("kim", "short", ["radiologist"], null, null), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        using var badRole = await admin.PostAsJsonAsync("/api/auth/users", new CreateUserRequest("kim", Password, ["wizard"], null, null), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);

        var kim = await host.CreateUserAsync(admin, "kim", Password, "radiologist");
        using var project = await admin.PostAsJsonAsync("/api/auth/projects", new CreateProjectRequest("bone-2h", "Bone scans at 2 h", null), Ct);
        Assert.Equal(HttpStatusCode.Created, project.StatusCode);
        using var member = await admin.PutAsync($"/api/auth/projects/bone-2h/members/{kim}", null, Ct);
        Assert.Equal(HttpStatusCode.NoContent, member.StatusCode);

        var login = await host.LoginAsync("kim", Password);
        var claims = AuthHost.Payload(login.AccessToken);
        Assert.Equal("radiologist", claims.GetProperty("role").GetString());
        Assert.Equal("bone-2h", claims.GetProperty("project").GetString());

        // Not an admin: the admin API answers 403.
        using var kimClient = host.Client();
        kimClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.AccessToken);
        using var forbidden = await kimClient.GetAsync("/api/auth/users", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        using var roles = await admin.PutAsJsonAsync($"/api/auth/users/{kim}/roles", new SetRolesRequest(["radiologist", "researcher"]), Ct);
        Assert.Equal(HttpStatusCode.OK, roles.StatusCode);
        using var disable = await admin.PostAsync($"/api/auth/users/{kim}/disable", null, Ct);
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        using var client = host.Client();
        using var refused = await client.PostAsJsonAsync("/api/auth/login", new LoginRequest("kim", Password), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var refresh = await client.PostAsJsonAsync("/api/auth/refresh", new RefreshRequest(login.RefreshToken), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
    }

    [Fact]
    public async Task Api_keys_are_shown_once_stored_hashed_scoped_and_revocable()
    {
        await using var host = await AuthHost.StartAsync();
        using var admin = await host.AdminAsync();
        using var created = await admin.PostAsJsonAsync("/api/auth/api-keys", new CreateApiKeyRequest("scanner-1", ["machine"], ["bone-2h"], null), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (await created.Content.ReadFromJsonAsync<CreatedApiKey>(Ct))!;
        Assert.StartsWith("hlk_", key.Key);

        using var client = host.Client();
        using var viaHeader = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        viaHeader.Headers.Add("X-Api-Key", key.Key);
        var me = await (await client.SendAsync(viaHeader, Ct)).Content.ReadFromJsonAsync<MeResponse>(Ct);
        Assert.Equal(["machine"], me!.Roles);
        Assert.Equal(["bone-2h"], me.Projects);
        Assert.True(me.ApiKey);

        using var viaAuthorization = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        viaAuthorization.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(viaAuthorization, Ct)).StatusCode);

        // A machine key cannot administer.
        using var adminCall = new HttpRequestMessage(HttpMethod.Get, "/api/auth/users");
        adminCall.Headers.Add("X-Api-Key", key.Key);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(adminCall, Ct)).StatusCode);

        // Exchange for a short access token (what services in other processes accept).
        using var exchange = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token");
        exchange.Headers.Add("X-Api-Key", key.Key);
        var token = await (await client.SendAsync(exchange, Ct)).Content.ReadFromJsonAsync<LoginResponse>(Ct);
        Assert.Equal("machine", AuthHost.Payload(token!.AccessToken).GetProperty("role").GetString());

        // At rest: only the hash.
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var row = await scope.ServiceProvider.GetRequiredService<AuthDbContext>().ApiKeys.SingleAsync(Ct);
            // hlk_{12 hex}_{secret}: the base64url secret may itself contain '_' (or start with one), so cut, don't split.
            var secret = key.Key["hlk_".Length..][(key.Key["hlk_".Length..].IndexOf('_') + 1)..];
            Assert.True(secret.Length >= 40, secret);
            Assert.DoesNotContain(secret, row.SecretHash);
            Assert.Equal(64, row.SecretHash.Length);
            Assert.NotNull(row.LastUsedAt);
        }

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        wrong.Headers.Add("X-Api-Key", key.Key[..^2] + "xx");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrong, Ct)).StatusCode);

        using var revoke = await admin.DeleteAsync($"/api/auth/api-keys/{key.Id}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        using var afterRevoke = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        afterRevoke.Headers.Add("X-Api-Key", key.Key);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(afterRevoke, Ct)).StatusCode);
    }

    [Fact]
    public async Task Audit_log_records_logins_and_admin_changes_is_queryable_by_admins_only_and_rejects_updates_and_deletes()
    {
        await using var host = await AuthHost.StartAsync();
        using var client = host.Client();
        client.DefaultRequestHeaders.Add("User-Agent", "audit-test/1.0");
        using var failed = await client.PostAsJsonAsync("/api/auth/login", new LoginRequest("admin", "not the password"), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        using var admin = await host.AdminAsync();
        await host.CreateUserAsync(admin, "lee", Password, "pathologist");

        var page = await admin.GetFromJsonAsync<PagedResult<AuditRecordDto>>("/api/auth/audit?action=login", Ct);
        Assert.Contains(page!.Items, r => r is { Outcome: "failure", ResourceId: "admin", UserAgent: "audit-test/1.0", ClientIp: "127.0.0.1" });
        Assert.Contains(page.Items, r => r is { Outcome: "success", ResourceId: "admin" });
        Assert.DoesNotContain(page.Items, r => r.Action != "login");
        var created = await admin.GetFromJsonAsync<PagedResult<AuditRecordDto>>("/api/auth/audit?resourceType=user&action=create&user=admin", Ct);
        Assert.Single(created!.Items);
        var paged = await admin.GetFromJsonAsync<PagedResult<AuditRecordDto>>("/api/auth/audit?pageSize=1&page=2", Ct);
        Assert.Single(paged!.Items);
        Assert.True(paged.Total >= 3);

        var lee = await host.LoginAsync("lee", Password);
        using var leeClient = host.Client();
        leeClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", lee.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await leeClient.GetAsync("/api/auth/audit", Ct)).StatusCode);

        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE audit_records SET Outcome = 'success'", Ct));
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_records", Ct));
        Assert.True(await db.AuditRecords.CountAsync(Ct) >= page.Total);
    }

    [Fact]
    public async Task Audit_records_published_by_other_services_are_stored_once()
    {
        await using var host = await AuthHost.StartAsync();
        var record = new AuditRecorded(Guid.CreateVersion7(), DateTimeOffset.UtcNow, "u1", "park", "download", "slide", "s-1", "bone-2h", "success",
            "10.1.2.3", "viewer", "slides", null);
        var bus = host.App.Services.GetRequiredService<MassTransit.IBus>();
        await bus.Publish(record, Ct);
        await bus.Publish(record, Ct);
        await using var scope = host.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !await db.AuditRecords.AnyAsync(a => a.Id == record.Id, Ct)) await Task.Delay(100, Ct);
        await Task.Delay(500, Ct);
        Assert.Equal(1, await db.AuditRecords.CountAsync(a => a.Id == record.Id, Ct));
        var stored = await db.AuditRecords.SingleAsync(a => a.Id == record.Id, Ct);
        Assert.Equal(("park", "10.1.2.3", "slides"), (stored.UserName, stored.ClientIp, stored.Service));
    }
}
