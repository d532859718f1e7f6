using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Halflife.ServiceDefaults.Persistence.Outbox;

public static class OutboxExtensions
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Adds <paramref name="message"/> to the outbox; it is published only if the caller's SaveChanges commits,
    /// and then at least once. The current trace context travels with it.
    /// </summary>
    public static void EnqueueEvent<TMessage>(this IMessagingDbContext context, TMessage message) where TMessage : class
    {
        context.OutboxMessages.Add(new OutboxMessage
        {
            Id = NewId.NextSequentialGuid(),
            MessageType = typeof(TMessage).FullName!,
            Body = JsonSerializer.Serialize(message, Json),
            TraceParent = Activity.Current?.Id,
            CreatedAt = DateTime.UtcNow,
        });
    }

    /// <summary>
    /// Records that <paramref name="consumer"/> handled this message, in the caller's transaction. Returns false
    /// when it already did (a redelivery): the caller then does nothing.
    /// </summary>
    public static async Task<bool> TryBeginProcessingAsync(this IMessagingDbContext context, ConsumeContext message, string consumer)
    {
        var id = message.MessageId ?? throw new InvalidOperationException("Message has no MessageId; cannot process it idempotently.");
        var seen = await context.ProcessedMessages.AnyAsync(p => p.Consumer == consumer && p.MessageId == id, message.CancellationToken);
        if (seen) return false;
        context.ProcessedMessages.Add(new ProcessedMessage { Consumer = consumer, MessageId = id, ProcessedAt = DateTime.UtcNow });
        return true;
    }
}
