using Halflife.Contracts;

namespace Halflife.ServiceDefaults.Security.Audit;

/// <summary>Builds an <see cref="AuditRecorded"/> from the current request.</summary>
public sealed class AuditEventFactory(IHttpContextAccessor http, IHostEnvironment environment)
{
    private const int MaxUserAgent = 512;
    private const int MaxDetails = 2000;

    public AuditRecorded Create(string action, string resourceType, string resourceId, string? projectId, string outcome, string? details)
    {
        var context = http.HttpContext;
        var user = context?.User;
        var agent = context?.Request.Headers.UserAgent.ToString();
        return new AuditRecorded(
            Guid.CreateVersion7(), DateTimeOffset.UtcNow,
            user?.UserId(), user?.UserNameOrAnonymous() ?? "system",
            action, resourceType, resourceId, projectId, outcome,
            context?.Connection.RemoteIpAddress?.ToString(),
            string.IsNullOrEmpty(agent) ? null : agent[..Math.Min(agent.Length, MaxUserAgent)],
            environment.ApplicationName,
            details is null ? null : details[..Math.Min(details.Length, MaxDetails)]);
    }
}
