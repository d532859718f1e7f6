namespace Halflife.Auth.Audit;

/// <summary>One audit entry. The table is append-only: database triggers reject UPDATE and DELETE.</summary>
public sealed class AuditRecord
{
    public Guid Id { get; set; }
    public DateTime At { get; set; }
    public string? UserId { get; set; }
    public string UserName { get; set; } = "";
    public string Action { get; set; } = "";
    public string ResourceType { get; set; } = "";
    public string ResourceId { get; set; } = "";
    public string? ProjectId { get; set; }
    public string Outcome { get; set; } = "";
    public string? ClientIp { get; set; }
    public string? UserAgent { get; set; }
    public string Service { get; set; } = "";
    public string? Details { get; set; }
}
