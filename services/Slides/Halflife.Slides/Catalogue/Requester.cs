namespace Halflife.Slides.Catalogue;

/// <summary>Who is asking and from where, for audit and history rows. "anonymous" until the Auth service exists.</summary>
public sealed record Requester(string User, string? RemoteIp)
{
    public static Requester From(HttpContext context) =>
        new(context.User.Identity?.Name is { Length: > 0 } name ? name : "anonymous", context.Connection.RemoteIpAddress?.ToString());

    public SlideAuditRecord Audit(Guid slideId, string action, string? details) => new()
    {
        Id = Guid.CreateVersion7(), SlideId = slideId, Action = action, User = User, RemoteIp = RemoteIp, Details = details, At = DateTime.UtcNow,
    };
}
