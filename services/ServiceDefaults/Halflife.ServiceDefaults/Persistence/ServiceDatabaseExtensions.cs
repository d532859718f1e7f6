using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Halflife.ServiceDefaults.Persistence;

public static class ServiceDatabaseExtensions
{
    /// <summary>
    /// Registers a service's own database: a SQLite file under the data directory, or a PostgreSQL database of its
    /// own (services never share a schema). Migrations run at start-up; a context that carries an outbox also gets
    /// the dispatcher that publishes it.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TContext>(this IHostApplicationBuilder builder, string serviceName)
        where TContext : DbContext
    {
        builder.Services.Configure<DatabaseOptions>(builder.Configuration.GetSection(DatabaseOptions.Section));
        // Pooled: a C-STORE or a message gets a reset context instead of building one (a measurable share of
        // the per-instance cost on the DICOM path). Contexts here take only their options, as pooling requires.
        builder.Services.AddDbContextPool<TContext>((sp, options) =>
        {
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            if (database.Provider == DatabaseProvider.Postgres)
            {
                var connection = new NpgsqlConnectionStringBuilder(database.PostgresConnectionString)
                {
                    Database = $"{database.Prefix}_{serviceName}".ToLowerInvariant(),
                };
                options.UseNpgsql(connection.ConnectionString);
            }
            else
            {
                var dataDirectory = sp.GetRequiredService<IOptions<HalflifeOptions>>().Value.ResolveDataPath("db");
                Directory.CreateDirectory(dataDirectory);
                options.UseSqlite($"Data Source={Path.Combine(dataDirectory, $"{database.Prefix}_{serviceName}.db")};Default Timeout=30");
                options.AddInterceptors(SqliteWriteGate.Instance);
            }
            // Migrations are written by hand (EF's design-time package does not restore here), so there is no model
            // snapshot for EF to compare with; the schema tests compare the migrated schema with the model instead.
            options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        });
        builder.Services.AddSingleton<IStartupTask, MigrateDatabaseTask<TContext>>();
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>($"{serviceName}-database", tags: ["ready"]);

        if (typeof(IMessagingDbContext).IsAssignableFrom(typeof(TContext)))
        {
            builder.Services.AddSingleton(typeof(OutboxSignal<>).MakeGenericType(typeof(TContext)));
            builder.Services.AddSingleton(typeof(IHostedService), typeof(OutboxDispatcher<>).MakeGenericType(typeof(TContext)));
        }
        return builder;
    }

    private sealed class MigrateDatabaseTask<TContext>(IServiceScopeFactory scopes, ILogger<MigrateDatabaseTask<TContext>> logger)
        : IStartupTask where TContext : DbContext
    {
        public async Task RunAsync(CancellationToken cancellationToken)
        {
            await using var scope = scopes.CreateAsyncScope();
            var context = scope.ServiceProvider.GetRequiredService<TContext>();
            var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
                logger.LogInformation("Applying {Count} migration(s) to {Context}: {Migrations}", pending.Count, typeof(TContext).Name, string.Join(", ", pending));
            await context.Database.MigrateAsync(cancellationToken);
            if (context.Database.IsSqlite())
            {
                // WAL lets readers (catalogue queries) run while a C-STORE commits.
                await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
        }
    }
}
