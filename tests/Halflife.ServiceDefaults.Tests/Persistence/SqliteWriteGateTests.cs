using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Halflife.ServiceDefaults.Tests.Persistence;

/// <summary>Many writers of one SQLite service database in one process: every commit lands, none fails as busy.</summary>
public sealed class SqliteWriteGateTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "halflife-gate-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Concurrent_commits_all_land_and_connections_wait_for_the_lock_instead_of_failing()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Halflife:DataDirectory"] = _data });
        builder.Services.Configure<HalflifeOptions>(builder.Configuration.GetSection(HalflifeOptions.Section));
        builder.AddServiceDatabase<GateContext>("gate");
        using var host = builder.Build();
        var ct = TestContext.Current.CancellationToken;
        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<GateContext>().Database.EnsureCreatedAsync(ct);

        // A writer the gate cannot see (another connection with an open write transaction) holds the lock for a while.
        await using var outsider = new Microsoft.Data.Sqlite.SqliteConnection(
            $"Data Source={Path.Combine(_data, "db", "halflife_gate.db")};Pooling=False");
        await outsider.OpenAsync(ct);
        await using var hold = outsider.BeginTransaction(System.Data.IsolationLevel.Serializable);
        await using (var insert = outsider.CreateCommand())
        {
            insert.Transaction = hold;
            insert.CommandText = "INSERT INTO Rows (Id, Writer, Number) VALUES ('00000000-0000-0000-0000-000000000001', -1, 0)";
            await insert.ExecuteNonQueryAsync(ct);
        }
        var release = Task.Run(async () => { await Task.Delay(300, ct); await hold.CommitAsync(ct); }, ct);

        var writers = Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            for (var n = 0; n < 25; n++)
            {
                await using var scope = host.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<GateContext>();
                db.Rows.Add(new Row { Id = Guid.NewGuid(), Writer = writer, Number = n });
                await db.SaveChangesAsync(ct);
            }
        }, ct)).ToList();
        await Task.WhenAll(writers.Append(release));

        await using var check = host.Services.CreateAsyncScope();
        var context = check.ServiceProvider.GetRequiredService<GateContext>();
        Assert.Equal(201, await context.Rows.CountAsync(ct));
        Assert.Equal(8, await context.Rows.Where(r => r.Writer >= 0).Select(r => r.Writer).Distinct().CountAsync(ct));

        await context.Database.OpenConnectionAsync(ct);
        await using var pragma = context.Database.GetDbConnection().CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout;";
        Assert.Equal(30000L, (long)(await pragma.ExecuteScalarAsync(ct))!);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }

    private sealed class GateContext(DbContextOptions<GateContext> options) : DbContext(options)
    {
        public DbSet<Row> Rows => Set<Row>();
    }

    private sealed class Row
    {
        public Guid Id { get; set; }
        public int Writer { get; set; }
        public int Number { get; set; }
    }
}
