namespace Halflife.ServiceDefaults.Security.Audit;

/// <summary>What was done to a resource, in the audit log's words.</summary>
public static class AuditActions
{
    public const string View = "view";
    public const string Download = "download";
    public const string Create = "create";
    public const string Change = "change";
    public const string Delete = "delete";
    public const string Login = "login";
    public const string Admin = "admin";
}

public static class AuditResources
{
    public const string Study = "study";
    public const string Instance = "instance";
    public const string Slide = "slide";
    public const string Annotation = "annotation";
    public const string Model = "model";
    /// <summary>A denoised or restored object (Denoise, Restore; Reporting's view of them).</summary>
    public const string DerivedImage = "derived-image";
    public const string Report = "report";
    /// <summary>A research data-set export (Reporting).</summary>
    public const string Export = "export";
    public const string User = "user";
    public const string Project = "project";
    public const string ApiKey = "api-key";
}

/// <summary>
/// Records who viewed, downloaded, changed or deleted which resource, when and from where. The caller's identity,
/// client address (after trusted X-Forwarded-For) and user agent are taken from the current request.
/// </summary>
public interface IAuditLog
{
    Task RecordAsync(string action, string resourceType, string resourceId, string? projectId = null, string outcome = "success",
        string? details = null, CancellationToken cancellationToken = default);
}
