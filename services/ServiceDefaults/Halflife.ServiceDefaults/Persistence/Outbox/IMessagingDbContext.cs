using Microsoft.EntityFrameworkCore;

namespace Halflife.ServiceDefaults.Persistence.Outbox;

/// <summary>
/// A service database that takes part in reliable messaging: events are written to <see cref="OutboxMessages"/> in
/// the same transaction as the data they describe, and consumed message ids are kept in
/// <see cref="ProcessedMessages"/> so a redelivered message changes nothing.
/// </summary>
public interface IMessagingDbContext
{
    DbSet<OutboxMessage> OutboxMessages { get; }
    DbSet<ProcessedMessage> ProcessedMessages { get; }
}

public sealed class OutboxMessage
{
    public Guid Id { get; set; }
    /// <summary>Full name of a type in the contracts assembly.</summary>
    public string MessageType { get; set; } = "";
    public string Body { get; set; } = "";
    /// <summary>W3C traceparent of the activity that wrote the event, so the trace continues across the outbox.</summary>
    public string? TraceParent { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SentAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}

public sealed class ProcessedMessage
{
    public string Consumer { get; set; } = "";
    public Guid MessageId { get; set; }
    public DateTime ProcessedAt { get; set; }
}
