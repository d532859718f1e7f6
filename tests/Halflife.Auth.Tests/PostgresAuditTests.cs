using System.Net;
using System.Net.Http.Json;
using Halflife.Auth.Api;
using Halflife.Auth.Users;
using Halflife.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Halflife.Auth.Tests;

/// <summary>
/// The audit table's append-only rule on the database the distributed deployment uses: PostgreSQL itself (the
/// migration's triggers) refuses UPDATE, DELETE and TRUNCATE, whoever sends them. Needs tests/run.sh's server
/// (HALFLIFE_TEST_POSTGRES); fails under CI without it, skips elsewhere.
/// </summary>
public sealed class PostgresAuditTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Audit_records_on_postgresql_can_be_added_but_not_updated_deleted_or_truncated()
    {
        var server = TestServers.PostgresConnectionString;
        var prefix = "audit" + Guid.NewGuid().ToString("N")[..10];
        try
        {
            await using (var host = await AuthHost.StartAsync(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Postgres",
                ["Database:PostgresConnectionString"] = server,
                ["Database:Prefix"] = prefix,
            }))
            {
                using var client = host.Client();
                using (var failed = await client.PostAsJsonAsync("/api/auth/login", new LoginRequest("admin", "not the password"), Ct))
                    Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
                await host.LoginAsync("admin", host.AdminPassword);

                await using var scope = host.App.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
                Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", db.Database.ProviderName);
                var before = await db.AuditRecords.CountAsync(Ct);
                Assert.True(before >= 2, $"the failed and the successful login are recorded ({before} records)");

                foreach (var sql in new[] { "UPDATE audit_records SET \"Outcome\" = 'success'", "DELETE FROM audit_records", "TRUNCATE audit_records" })
                {
                    var refused = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync(sql, Ct));
                    Assert.Contains("append-only", refused.MessageText);
                }
                Assert.Equal(before, await db.AuditRecords.CountAsync(Ct));
                Assert.Equal(1, await db.AuditRecords.CountAsync(r => r.Outcome == "failure" && r.ResourceId == "admin", Ct));
            }
        }
        finally
        {
            await DropDatabaseAsync(server, $"{prefix}_auth");
        }
    }

    private static async Task DropDatabaseAsync(string server, string database)
    {
        if (string.IsNullOrEmpty(server)) return;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
