using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Halflife.ServiceDefaults.Persistence;

/// <summary>
/// SQLite has one writer at a time. When two contexts of a process commit at once (a C-STORE and the outbox
/// dispatcher), the loser gets SQLITE_BUSY, and Microsoft.Data.Sqlite then sleeps 150 ms before it retries: a
/// scanner's association stalls for nothing. This gate makes the writers of one database file queue in the process
/// instead, and gives SQLite a busy timeout for the writers it cannot see (ExecuteUpdate/Delete, other processes).
/// </summary>
internal sealed class SqliteWriteGate : SaveChangesInterceptor, IDbConnectionInterceptor
{
    public static readonly SqliteWriteGate Instance = new();

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<DbContext, SemaphoreSlim> _held = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && GateFor(context) is { } gate && !_held.TryGetValue(context, out _))
        {
            await gate.WaitAsync(cancellationToken);
            _held.AddOrUpdate(context, gate);
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context && GateFor(context) is { } gate && !_held.TryGetValue(context, out _))
        {
            gate.Wait();
            _held.AddOrUpdate(context, gate);
        }
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Release(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Release(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Release(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>SQLite's own busy handler waits in short, growing steps (1, 2, 5, 10 ms ...), not 150 ms.</summary>
    public void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => SetBusyTimeout(connection);

    public Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        SetBusyTimeout(connection);
        return Task.CompletedTask;
    }

    private static void SetBusyTimeout(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 30000;";
        command.ExecuteNonQuery();
    }

    private void Release(DbContext? context)
    {
        if (context is not null && _held.TryGetValue(context, out var gate))
        {
            _held.Remove(context);
            gate.Release();
        }
    }

    private static SemaphoreSlim? GateFor(DbContext context)
    {
        // A transaction the caller opened already holds SQLite's write lock (or will): queueing inside it could
        // deadlock with a writer waiting for this very transaction.
        if (context.Database.CurrentTransaction is not null) return null;
        var file = context.Database.GetDbConnection().DataSource;
        return string.IsNullOrEmpty(file) ? null : Gates.GetOrAdd(file, _ => new SemaphoreSlim(1, 1));
    }
}
