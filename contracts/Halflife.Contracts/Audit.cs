namespace Halflife.Contracts;

/// <summary>
/// Someone viewed, downloaded, created, changed or deleted a resource (study, instance, slide, annotation, model,
/// user, ...). Services publish it; the Auth service stores it in its append-only audit table.
/// </summary>
public sealed record AuditRecorded(
    Guid Id,
    DateTimeOffset At,
    string? UserId,
    string UserName,
    string Action,
    string ResourceType,
    string ResourceId,
    string? ProjectId,
    string Outcome,
    string? ClientIp,
    string? UserAgent,
    string Service,
    string? Details);
