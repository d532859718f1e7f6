using Microsoft.Extensions.Options;

namespace Halflife.ServiceDefaults.Security;

/// <summary>
/// Which projects' data the current caller may see. Admins see every project; everyone else sees the projects in
/// their token. Data without a project belongs to <see cref="HalflifeClaims.DefaultProject"/>. While Security:Enforce
/// is false everything stays visible, as before.
/// </summary>
public sealed class ProjectAccess(IHttpContextAccessor http, IOptionsMonitor<SecurityOptions> options)
{
    private ClaimsPrincipalView User => new(http.HttpContext?.User);

    /// <summary>True when no filter applies (enforcement off, or an admin).</summary>
    public bool SeesAll => !options.CurrentValue.Enforce || User.IsAdmin;

    /// <summary>The caller's projects (meaningful only when <see cref="SeesAll"/> is false).</summary>
    public IReadOnlyList<string> Projects => User.Projects;

    /// <summary>Whether the caller's projects include the default one, that is, data stored without a project.</summary>
    public bool SeesUnassigned => SeesAll || Projects.Contains(HalflifeClaims.DefaultProject, StringComparer.Ordinal);

    public bool CanSee(string? projectId) =>
        SeesAll || Projects.Contains(projectId ?? HalflifeClaims.DefaultProject, StringComparer.Ordinal);

    /// <summary>
    /// The project new data goes to: the requested one if the caller belongs to it, else null with the reason. No
    /// project requested means the default project (stored as null).
    /// </summary>
    public (bool Allowed, string? ProjectId) ForNewData(string? requested)
    {
        var project = string.IsNullOrWhiteSpace(requested) || requested == HalflifeClaims.DefaultProject ? null : requested.Trim();
        return (CanSee(project), project);
    }

    private readonly record struct ClaimsPrincipalView(System.Security.Claims.ClaimsPrincipal? Principal)
    {
        public bool IsAdmin => Principal?.IsInRole(Roles.Admin) == true;
        public IReadOnlyList<string> Projects => Principal?.Projects() ?? [];
    }
}
