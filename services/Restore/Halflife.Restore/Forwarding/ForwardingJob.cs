namespace Halflife.Restore.Forwarding;

public enum ForwardingStatus { Pending, Succeeded, Failed }

/// <summary>
/// One restored instance to be sent to one PACS: written in the same transaction as the derived instance, then
/// worked off by <see cref="ForwardingWorker"/> with backoff. It is the durable state of the retries (they survive
/// a restart) and what the API reports.
/// </summary>
public sealed class ForwardingJob
{
    public Guid Id { get; set; }
    public Guid DerivedInstanceId { get; set; }
    public string SopInstanceUid { get; set; } = "";
    public string BlobKey { get; set; } = "";
    public string Host { get; set; } = "";
    public int Port { get; set; }
    public string CalledAeTitle { get; set; } = "";
    public string CallingAeTitle { get; set; } = "";
    public ForwardingStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    /// <summary>A worker that claimed the job owns it until then (several replicas share the table).</summary>
    public DateTime? LeaseUntil { get; set; }
    /// <summary>The DIMSE status of the last C-STORE response, when one came.</summary>
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    /// <summary>W3C traceparent of the restore, so forwarding continues the scan's trace.</summary>
    public string? TraceParent { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}
