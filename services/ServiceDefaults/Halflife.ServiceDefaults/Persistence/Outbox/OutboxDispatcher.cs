using System.Diagnostics;
using System.Text.Json;
using Halflife.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Halflife.ServiceDefaults.Persistence.Outbox;

/// <summary>
/// Publishes committed outbox rows to the bus and marks them sent. Delivery is at least once: a crash between
/// publish and mark re-publishes, and consumers are idempotent on the message id (the outbox row id). On PostgreSQL
/// several replicas may share the table; each row is claimed by one of them (see <see cref="DispatchClaimedBatchAsync"/>).
/// </summary>
public sealed class OutboxDispatcher<TContext>(
    IServiceScopeFactory scopes,
    OutboxSignal<TContext> signal,
    ILogger<OutboxDispatcher<TContext>> logger) : BackgroundService
    where TContext : DbContext, IMessagingDbContext
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// After a wake-up, commits that land within this window join the same batch. Under a stream of C-STOREs this
    /// turns one "mark sent" write (and fsync) per instance into one per batch, leaving the disk and the database's
    /// single writer to the commits a scanner is waiting for; an event leaves at most this much later.
    /// </summary>
    private static readonly TimeSpan CoalesceWindow = TimeSpan.FromMilliseconds(20);
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DispatchBatchAsync(stoppingToken) == BatchSize) { }
                if (await signal.WaitAsync(PollInterval, stoppingToken))
                    await Task.Delay(CoalesceWindow, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Outbox dispatch for {Context} failed; retrying", typeof(TContext).Name);
                await Task.Delay(PollInterval, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
    }

    /// <summary>Publishes one batch; returns its size when all of it left, 0 when a row failed or none was waiting.</summary>
    private async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        var bus = scope.ServiceProvider.GetRequiredService<IBus>();
        return context.Database.IsNpgsql()
            ? await DispatchClaimedBatchAsync(context, bus, cancellationToken)
            : await DispatchOwnBatchAsync(context, bus, cancellationToken);
    }

    /// <summary>
    /// PostgreSQL: every replica of the service runs a dispatcher on the same table. Each claims its batch with
    /// FOR UPDATE SKIP LOCKED inside a transaction that lasts until the rows are marked sent, so another replica
    /// passes over them and takes the next rows instead of publishing these a second time. Order holds per replica.
    /// </summary>
    private async Task<int> DispatchClaimedBatchAsync(TContext context, IBus bus, CancellationToken cancellationToken)
    {
        var claim = OutboxClaimQuery.For(context);
        // A retrying execution strategy accepts a transaction only inside its ExecuteAsync. A retry after a lost
        // connection re-publishes rows whose marks were rolled back: at least once, as everywhere in the outbox.
        var strategy = context.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync((Context: context, Bus: bus, Claim: claim), async (state, token) =>
        {
            state.Context.ChangeTracker.Clear(); // a retry starts from the database, not from a failed attempt's marks
            await using var transaction = await state.Context.Database.BeginTransactionAsync(token);
            var pending = await state.Context.OutboxMessages.FromSqlRaw(state.Claim, BatchSize).ToListAsync(token);
            var published = await PublishInOrderAsync(state.Bus, pending, token);
            await state.Context.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
            return published < pending.Count ? 0 : pending.Count;
        }, cancellationToken);
    }

    /// <summary>SQLite: the embedded database belongs to one process, whose single dispatcher needs no claim.</summary>
    private async Task<int> DispatchOwnBatchAsync(TContext context, IBus bus, CancellationToken cancellationToken)
    {
        var pending = await context.OutboxMessages
            .Where(m => m.SentAt == null)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        var published = await PublishInOrderAsync(bus, pending, cancellationToken);
        await MarkSentAsync(context, cancellationToken);
        return published < pending.Count ? 0 : pending.Count;
    }

    /// <summary>
    /// Publishes rows in order and marks each in the context (saved by the caller: one commit per batch, not per row,
    /// so under load a single fsync marks many published events). Stops at the first failure, which is recorded on
    /// its row, so that later events do not overtake it; returns how many were published.
    /// </summary>
    private async Task<int> PublishInOrderAsync(IBus bus, IReadOnlyList<OutboxMessage> pending, CancellationToken cancellationToken)
    {
        var published = 0;
        foreach (var row in pending)
        {
            try
            {
                await PublishAsync(bus, row, cancellationToken);
                row.SentAt = DateTime.UtcNow;
                published++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                row.Attempts++;
                row.LastError = e.Message;
                logger.LogWarning(e, "Publishing outbox message {Id} ({Type}) failed, attempt {Attempt}", row.Id, row.MessageType, row.Attempts);
                break; // keep order: the rest waits for the next round
            }
        }
        return published;
    }

    /// <summary>
    /// Saves the "sent" marks. On SQLite they are committed without their own fsync (synchronous NORMAL for this one
    /// transaction): the next durable commit of the service (the next stored instance) syncs them along, and a mark
    /// lost to a power cut only means the event is published again, which consumers already tolerate. The disk's
    /// flushes are thus left to the commits a sender is waiting for.
    /// </summary>
    private static async Task MarkSentAsync(TContext context, CancellationToken cancellationToken)
    {
        if (!context.Database.IsSqlite())
        {
            await context.SaveChangesAsync(cancellationToken);
            return;
        }
        await context.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await context.Database.ExecuteSqlRawAsync("PRAGMA synchronous = NORMAL;", cancellationToken);
            await context.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            // The connection goes back to the pool: the next user must get SQLite's durable default again.
            await context.Database.ExecuteSqlRawAsync("PRAGMA synchronous = FULL;", CancellationToken.None);
            await context.Database.CloseConnectionAsync();
        }
    }

    private static async Task PublishAsync(IBus bus, OutboxMessage row, CancellationToken cancellationToken)
    {
        // Only contract types may be materialised from the database: a tampered row cannot instantiate arbitrary types.
        var type = typeof(InstanceReceived).Assembly.GetType(row.MessageType)
                   ?? throw new InvalidOperationException($"Unknown message type '{row.MessageType}'.");
        var message = JsonSerializer.Deserialize(row.Body, type, OutboxExtensions.Json)
                      ?? throw new InvalidOperationException($"Outbox message {row.Id} has an empty body.");

        // Continue the trace of the request that wrote the event.
        using var activity = row.TraceParent is { } parent && ActivityContext.TryParse(parent, null, out var parentContext)
            ? Telemetry.HalflifeTelemetry.Messaging.StartActivity("outbox publish", ActivityKind.Producer, parentContext)
            : null;
        activity?.SetTag("messaging.message.type", row.MessageType);
        await bus.Publish(message, type, Pipe.Execute<PublishContext>(c => c.MessageId = row.Id), cancellationToken);
    }
}
