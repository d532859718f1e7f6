using MassTransit;

namespace Halflife.ServiceDefaults.Security.Audit;

/// <summary>
/// The audit log of a service that does not host Auth: each record is published as <see cref="Halflife.Contracts.AuditRecorded"/>
/// and Auth stores it. A failure to publish is logged as an error, and the request goes on: refusing clinical work
/// because the audit transport is down is the worse failure here (docs/security.md).
/// </summary>
public sealed class BusAuditLog(IBus bus, AuditEventFactory events, ILogger<BusAuditLog> logger) : IAuditLog
{
    public async Task RecordAsync(string action, string resourceType, string resourceId, string? projectId = null, string outcome = "success",
        string? details = null, CancellationToken cancellationToken = default)
    {
        var record = events.Create(action, resourceType, resourceId, projectId, outcome, details);
        try
        {
            await bus.Publish(record, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Audit record {Action} {Type} {Id} by {User} could not be published", action, resourceType, resourceId, record.UserName);
        }
    }
}
