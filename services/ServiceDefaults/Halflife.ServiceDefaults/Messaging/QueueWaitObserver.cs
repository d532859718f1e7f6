using System.Diagnostics.Metrics;
using MassTransit;

namespace Halflife.ServiceDefaults.Messaging;

/// <summary>
/// Records how long each message waited between being sent (its SentTime header, set by the publisher or the
/// outbox dispatcher) and a consumer starting on it: the queue wait that inference latency alone does not show
/// when a service falls behind.
/// </summary>
public sealed class QueueWaitObserver(TimeProvider clock) : IConsumeObserver
{
    public const string MeterName = "Halflife.Messaging";
    public const string HistogramName = "halflife.messaging.queue_wait";
    public const string QueueTag = "messaging.destination.name";
    public const string MessageTypeTag = "messaging.message.type";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>(HistogramName, unit: "ms",
        description: "Time from a message's SentTime to the start of its consumption, per queue and message type.");

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.SentTime is { } sent)
        {
            // Clocks of different hosts may disagree a little: a negative wait is recorded as zero, not dropped.
            var waited = Math.Max(0, (clock.GetUtcNow().UtcDateTime - DateTime.SpecifyKind(sent, DateTimeKind.Utc)).TotalMilliseconds);
            QueueWait.Record(waited,
                new KeyValuePair<string, object?>(QueueTag, QueueName(context.ReceiveContext.InputAddress)),
                new KeyValuePair<string, object?>(MessageTypeTag, typeof(T).Name));
        }
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;

    /// <summary>The last path segment of the endpoint address ("loopback://localhost/instance-received" -> "instance-received").</summary>
    internal static string QueueName(Uri? address) =>
        address is null ? "unknown" : address.AbsolutePath.TrimEnd('/').Split('/').LastOrDefault() is { Length: > 0 } name ? name : "unknown";
}
