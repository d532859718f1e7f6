using Halflife.Auth.Users;
using Halflife.Contracts;
using Halflife.ServiceDefaults.Security.Audit;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Auth.Audit;

/// <summary>
/// Where audit records end: the append-only audit_records table. In a process that hosts Auth, services write here
/// directly (nothing to lose on the way); other processes publish <see cref="AuditRecorded"/> to <see cref="AuthAuditRecordedConsumer"/>.
/// </summary>
public sealed class AuditStore(IServiceScopeFactory scopes, AuditEventFactory events, ILogger<AuditStore> logger) : IAuditLog
{
    public async Task RecordAsync(string action, string resourceType, string resourceId, string? projectId = null, string outcome = "success",
        string? details = null, CancellationToken cancellationToken = default)
    {
        var record = events.Create(action, resourceType, resourceId, projectId, outcome, details);
        try
        {
            await AppendAsync(record, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Audit record {Action} {Type} {Id} by {User} could not be stored", action, resourceType, resourceId, record.UserName);
        }
    }

    public async Task AppendAsync(AuditRecorded record, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        // Idempotent on the record id: a redelivered message adds nothing.
        if (await db.AuditRecords.AnyAsync(a => a.Id == record.Id, cancellationToken)) return;
        db.AuditRecords.Add(new AuditRecord
        {
            Id = record.Id, At = record.At.UtcDateTime, UserId = record.UserId, UserName = record.UserName, Action = record.Action,
            ResourceType = record.ResourceType, ResourceId = record.ResourceId, ProjectId = record.ProjectId, Outcome = record.Outcome,
            ClientIp = record.ClientIp, UserAgent = record.UserAgent, Service = record.Service, Details = record.Details,
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>Stores audit records that other services published.</summary>
public sealed class AuthAuditRecordedConsumer(AuditStore store) : IConsumer<AuditRecorded>
{
    public Task Consume(ConsumeContext<AuditRecorded> context) => store.AppendAsync(context.Message, context.CancellationToken);
}
