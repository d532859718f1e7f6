using System.Collections.Concurrent;
using Halflife.Contracts;
using Halflife.ServiceDefaults.Persistence;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Halflife.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Halflife.ServiceDefaults.Tests.Persistence;

/// <summary>
/// Two replicas of one service share its PostgreSQL database, and each runs an outbox dispatcher: every event must
/// leave once, not once per replica. Needs tests/run.sh's server (HALFLIFE_TEST_POSTGRES); fails under CI without
/// it, skips elsewhere.
/// </summary>
public sealed class OutboxReplicaTests
{
    private const int Events = 300;

    /// <summary>Publishing is slowed a little so that both replicas are busy at once, as under a real broker.</summary>
    private static readonly TimeSpan PublishDelay = TimeSpan.FromMilliseconds(3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>With a retrying execution strategy the claim's transaction must run inside the strategy (EF refuses it otherwise).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_replicas_sharing_a_database_publish_every_outbox_row_exactly_once(bool retryingStrategy)
    {
        var server = TestServers.PostgresConnectionString;
        var prefix = "outbox" + Guid.NewGuid().ToString("N")[..10];
        try
        {
            using var first = BuildReplica(server, prefix, retryingStrategy);
            using var second = BuildReplica(server, prefix, retryingStrategy);
            await using (var scope = first.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ReplicaContext>();
                Assert.Equal(retryingStrategy, db.Database.CreateExecutionStrategy().RetriesOnFailure);
                await db.Database.EnsureCreatedAsync(Ct);
            }

            var observers = new[] { new RecordingObserver(PublishDelay), new RecordingObserver(PublishDelay) };
            var hosts = new[] { first, second };
            for (var i = 0; i < hosts.Length; i++)
            {
                await hosts[i].StartAsync(Ct);
                hosts[i].Services.GetRequiredService<IBus>().ConnectPublishObserver(observers[i]);
            }

            List<Guid> written;
            await using (var scope = first.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ReplicaContext>();
                for (var n = 0; n < Events; n++)
                    db.EnqueueEvent(new SlideUploaded(Guid.NewGuid(), $"slide {n}", $"slides/{n}", n, null, DateTimeOffset.UtcNow));
                await db.SaveChangesAsync(Ct);
                written = await db.OutboxMessages.Select(m => m.Id).ToListAsync(Ct);
            }
            // Both replicas wake at once, as they would after commits on either side.
            foreach (var host in hosts) host.Services.GetRequiredService<OutboxSignal<ReplicaContext>>().Notify();

            await WaitUntilAllSentAsync(first);
            foreach (var host in hosts) await host.StopAsync(Ct);

            var published = observers.SelectMany(o => o.Published).ToList();
            TestContext.Current.TestOutputHelper?.WriteLine($"replicas published {observers[0].Published.Count} + {observers[1].Published.Count} of {Events}");
            var twice = published.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(twice.Count == 0, $"{twice.Count} of {Events} events were published more than once ({published.Count} publishes in all)");
            Assert.Equal(written.Order(), published.Order());
            Assert.All(observers, o => Assert.NotEmpty(o.Published));

            await using var check = first.Services.CreateAsyncScope();
            var rows = await check.ServiceProvider.GetRequiredService<ReplicaContext>().OutboxMessages.ToListAsync(Ct);
            Assert.Equal(Events, rows.Count);
            Assert.All(rows, r => Assert.True(r.SentAt is not null && r.Attempts == 0 && r.LastError is null, $"row {r.Id}: sent {r.SentAt}, attempts {r.Attempts}"));
        }
        finally
        {
            await DropDatabaseAsync(server, $"{prefix}_outbox");
        }
    }

    /// <summary>
    /// A row that cannot be published holds back the rows after it (events keep their order) and its failure is
    /// recorded, under the claim's transaction as on SQLite; the claim ends with it, so the row is tried again.
    /// </summary>
    [Fact]
    public async Task A_row_that_fails_to_publish_holds_back_later_rows_and_records_the_failure()
    {
        var server = TestServers.PostgresConnectionString;
        var prefix = "outbox" + Guid.NewGuid().ToString("N")[..10];
        try
        {
            using var replica = BuildReplica(server, prefix, retryingStrategy: false);
            var observer = new RecordingObserver(TimeSpan.Zero);
            Guid broken;
            await using (var scope = replica.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ReplicaContext>();
                await db.Database.EnsureCreatedAsync(Ct);
                db.EnqueueEvent(new SlideUploaded(Guid.NewGuid(), "first", "slides/first", 1, null, DateTimeOffset.UtcNow));
                await db.SaveChangesAsync(Ct);
                // Not a contract type: the dispatcher refuses to materialise it.
                var row = await db.OutboxMessages.SingleAsync(Ct);
                row.MessageType = "Halflife.Contracts.NoSuchEvent";
                broken = row.Id;
                for (var n = 0; n < 5; n++)
                    db.EnqueueEvent(new SlideUploaded(Guid.NewGuid(), $"slide {n}", $"slides/{n}", n, null, DateTimeOffset.UtcNow.AddSeconds(1)));
                await db.SaveChangesAsync(Ct);
            }
            await replica.StartAsync(Ct);
            replica.Services.GetRequiredService<IBus>().ConnectPublishObserver(observer);
            replica.Services.GetRequiredService<OutboxSignal<ReplicaContext>>().Notify();

            // The first attempt fails at once; the second comes with the next poll, after the claim was released.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            List<OutboxMessage> rows;
            while (true)
            {
                await using var scope = replica.Services.CreateAsyncScope();
                rows = await scope.ServiceProvider.GetRequiredService<ReplicaContext>().OutboxMessages.AsNoTracking().ToListAsync(Ct);
                if (rows.Single(r => r.Id == broken).Attempts >= 2) break;
                Assert.True(DateTime.UtcNow < deadline, "the broken row was not tried twice within 30 s");
                await Task.Delay(100, Ct);
            }
            await replica.StopAsync(Ct);

            var failed = rows.Single(r => r.Id == broken);
            Assert.Null(failed.SentAt);
            Assert.Contains("NoSuchEvent", failed.LastError);
            Assert.All(rows.Where(r => r.Id != broken), r => Assert.True(r.SentAt is null && r.Attempts == 0, $"row {r.Id} overtook the failed one"));
            Assert.Empty(observer.Published);
        }
        finally
        {
            await DropDatabaseAsync(server, $"{prefix}_outbox");
        }
    }

    /// <summary>A replica: the service's database wiring (with its outbox dispatcher) and an in-memory bus.</summary>
    private static IHost BuildReplica(string server, string prefix, bool retryingStrategy)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:PostgresConnectionString"] = server,
            ["Database:Prefix"] = prefix,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddMassTransit(bus => bus.UsingInMemory());
        builder.AddServiceDatabase<ReplicaContext>("outbox");
        // Applied after the service's own configuration: the same Npgsql options plus retries.
        if (retryingStrategy) builder.Services.ConfigureDbContext<ReplicaContext>(o => o.UseNpgsql(npgsql => npgsql.EnableRetryOnFailure()));
        return builder.Build();
    }

    private static async Task WaitUntilAllSentAsync(IHost host)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var scope = host.Services.CreateAsyncScope();
            var unsent = await scope.ServiceProvider.GetRequiredService<ReplicaContext>().OutboxMessages.CountAsync(m => m.SentAt == null, Ct);
            if (unsent == 0) return;
            Assert.True(DateTime.UtcNow < deadline, $"{unsent} of {Events} outbox rows still unsent after 30 s");
            await Task.Delay(100, Ct);
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

    /// <summary>
    /// A service database whose outbox lives in a schema of its own with a name that needs quoting, so the
    /// dispatcher's SQL must take the table's name from the model.
    /// </summary>
    public sealed class ReplicaContext(DbContextOptions<ReplicaContext> options) : DbContext(options), IMessagingDbContext
    {

        public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
        public DbSet<ProcessedMessage> ProcessedMessages => Set<ProcessedMessage>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.HasDefaultSchema("Replica Messaging");
            modelBuilder.AddMessagingTables();
        }
    }

    private sealed class RecordingObserver(TimeSpan delay) : IPublishObserver
    {
        public ConcurrentQueue<Guid> Published { get; } = new();

        public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.Delay(delay);

        public Task PostPublish<T>(PublishContext<T> context) where T : class
        {
            Published.Enqueue(context.MessageId ?? Guid.Empty);
            return Task.CompletedTask;
        }

        public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }
}
