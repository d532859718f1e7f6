namespace Halflife.ServiceDefaults.Security;

/// <summary>The roles a user (or an API key) can hold. A user without any role can log in but sees no data.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Radiologist = "radiologist";
    public const string Pathologist = "pathologist";
    public const string Technologist = "technologist";
    public const string Researcher = "researcher";
    /// <summary>Machine clients (scanners, scripts) through API keys.</summary>
    public const string Machine = "machine";

    public static readonly IReadOnlyList<string> All = [Admin, Radiologist, Pathologist, Technologist, Researcher, Machine];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}

/// <summary>
/// Named access levels used by <see cref="RouteAccessTable"/>. Each is a set of roles; <see cref="Anonymous"/> and
/// <see cref="Authenticated"/> need no role.
/// </summary>
public static class Access
{
    public const string Anonymous = "anonymous";
    /// <summary>Any signed-in user, even one without a role (own profile, logout).</summary>
    public const string Authenticated = "authenticated";
    /// <summary>View and download clinical data of one's projects.</summary>
    public const string Read = "read";
    /// <summary>Send images into the system (REST upload of DICOM, slide upload).</summary>
    public const string Upload = "upload";
    /// <summary>Edit and delete slide metadata and slides.</summary>
    public const string Curate = "curate";
    /// <summary>Draw and change annotations: pathologists and admins only.</summary>
    public const string Annotate = "annotate";
    /// <summary>Users, projects, API keys, signing keys, audit log, models.</summary>
    public const string Admin = "admin";

    private static readonly Dictionary<string, string[]> RolesByAccess = new(StringComparer.Ordinal)
    {
        [Read] = [Roles.Admin, Roles.Radiologist, Roles.Pathologist, Roles.Technologist, Roles.Researcher, Roles.Machine],
        [Upload] = [Roles.Admin, Roles.Radiologist, Roles.Pathologist, Roles.Technologist, Roles.Machine],
        [Curate] = [Roles.Admin, Roles.Pathologist, Roles.Technologist],
        [Annotate] = [Roles.Admin, Roles.Pathologist],
        [Admin] = [Roles.Admin],
    };

    public static IReadOnlyList<string> RolesFor(string access) =>
        RolesByAccess.TryGetValue(access, out var roles) ? roles : [];

    public static bool IsKnown(string access) => access is Anonymous or Authenticated || RolesByAccess.ContainsKey(access);
}
