using System.Security.Claims;

namespace Halflife.ServiceDefaults.Security;

/// <summary>Claim names in Halflife access tokens (JWT registered names where one exists).</summary>
public static class HalflifeClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    /// <summary>One claim per project the user belongs to.</summary>
    public const string Project = "project";
    /// <summary>Set on identities that came from an API key: the key's id.</summary>
    public const string ApiKeyId = "api_key";

    /// <summary>Data without a project (for example DICOM from a scanner that names none) belongs to this project.</summary>
    public const string DefaultProject = "default";

    public static string? UserId(this ClaimsPrincipal user) => user.FindFirst(Subject)?.Value;

    public static string UserNameOrAnonymous(this ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : "anonymous";

    public static IReadOnlyList<string> Projects(this ClaimsPrincipal user) =>
        user.FindAll(Project).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();

    public static IReadOnlyList<string> RoleNames(this ClaimsPrincipal user) =>
        user.FindAll(Role).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();
}
