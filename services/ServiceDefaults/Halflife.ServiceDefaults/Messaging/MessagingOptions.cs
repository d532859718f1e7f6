namespace Halflife.ServiceDefaults.Messaging;

public enum BusTransport { InMemory, RabbitMq }

/// <summary>Configuration section "Bus".</summary>
public sealed class MessagingOptions
{
    public const string Section = "Bus";
    public BusTransport Transport { get; set; } = BusTransport.InMemory;
    /// <summary>amqp://user:password@host:port/vhost</summary>
    public string RabbitMqUri { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";
    /// <summary>Prefix for queue names, so several deployments (or test runs) can share one broker.</summary>
    public string? QueuePrefix { get; set; }
    /// <summary>Redeliveries before a message goes to the error queue (with exponential backoff in between).</summary>
    public int RetryLimit { get; set; } = 5;
}
