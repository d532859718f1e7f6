namespace Halflife.ServiceDefaults.Security;

/// <summary>
/// What a route addresses, for project scoping: such routes answer 404 for another project's resource. (Exports are
/// scoped to the user who started them.)
/// </summary>
public enum ResourceScope { None, Study, Instance, Slide, Upload, DenoisedImage, RestoredImage, ReportingDerivedImage, Report, Export }

/// <summary>One row of the access table: HTTP method, route pattern as mapped, access level, what it addresses.</summary>
public sealed record RouteRule(string Method, string Pattern, string Access, ResourceScope Scope = ResourceScope.None)
{
    public string Key => RouteAccessTable.KeyOf(Method, Pattern);
}

/// <summary>
/// Who may call which /api route: the single table the gateway and every service enforce when Security:Enforce is
/// true, and the table the route-matrix test checks for completeness (a mapped /api route without a row fails it).
/// It lives here rather than as metadata on each endpoint so that one place can be reviewed, and so that the gateway
/// can apply it to requests it only proxies. A route missing from the table gets <see cref="Access.Read"/> at run
/// time: never anonymous by accident.
/// </summary>
public static class RouteAccessTable
{
    public static readonly IReadOnlyList<RouteRule> Rules =
    [
        // Auth: sign-in, token and key-set routes carry their own credential (password, refresh token, API key, code).
        new("POST", "/api/auth/login", Access.Anonymous),
        new("POST", "/api/auth/refresh", Access.Anonymous),
        new("POST", "/api/auth/logout", Access.Anonymous),
        new("POST", "/api/auth/token", Access.Anonymous),
        new("GET", "/api/auth/.well-known/jwks.json", Access.Anonymous),
        new("GET", "/api/auth/.well-known/openid-configuration", Access.Anonymous),
        new("GET", "/api/auth/external", Access.Anonymous),
        new("GET", "/api/auth/external/{provider}/login", Access.Anonymous),
        new("GET", "/api/auth/external/{provider}/callback", Access.Anonymous),
        new("GET", "/api/auth/me", Access.Authenticated),
        new("GET", "/api/auth/users", Access.Admin),
        new("POST", "/api/auth/users", Access.Admin),
        new("PUT", "/api/auth/users/{id:guid}/roles", Access.Admin),
        new("POST", "/api/auth/users/{id:guid}/disable", Access.Admin),
        new("POST", "/api/auth/users/{id:guid}/enable", Access.Admin),
        new("POST", "/api/auth/users/{id:guid}/password", Access.Admin),
        new("GET", "/api/auth/projects", Access.Admin),
        new("POST", "/api/auth/projects", Access.Admin),
        new("PUT", "/api/auth/projects/{projectId}/members/{userId:guid}", Access.Admin),
        new("DELETE", "/api/auth/projects/{projectId}/members/{userId:guid}", Access.Admin),
        new("GET", "/api/auth/api-keys", Access.Admin),
        new("POST", "/api/auth/api-keys", Access.Admin),
        new("DELETE", "/api/auth/api-keys/{id:guid}", Access.Admin),
        new("GET", "/api/auth/audit", Access.Admin),
        new("POST", "/api/auth/keys/rotate", Access.Admin),

        // Ingest: DICOM studies.
        new("POST", "/api/ingest/instances", Access.Upload),
        new("GET", "/api/ingest/studies", Access.Read),
        new("GET", "/api/ingest/studies/{studyInstanceUid}/series", Access.Read, ResourceScope.Study),
        new("GET", "/api/ingest/instances/{id:guid}", Access.Read, ResourceScope.Instance),
        new("GET", "/api/ingest/instances/{id:guid}/file", Access.Read, ResourceScope.Instance),
        new("GET", "/api/ingest/instances/{id:guid}/image", Access.Read, ResourceScope.Instance),
        new("GET", "/api/ingest/instances/{id:guid}/render.png", Access.Read, ResourceScope.Instance),

        // Denoise and Restore: derived images, in their original's project.
        new("GET", "/api/denoise/info", Access.Authenticated),
        new("GET", "/api/denoise/denoised", Access.Read),
        new("GET", "/api/denoise/denoised/{id:guid}", Access.Read, ResourceScope.DenoisedImage),
        new("GET", "/api/denoise/denoised/{id:guid}/file", Access.Read, ResourceScope.DenoisedImage),
        new("GET", "/api/denoise/denoised/{id:guid}/image", Access.Read, ResourceScope.DenoisedImage),
        new("GET", "/api/denoise/denoised/{id:guid}/render.png", Access.Read, ResourceScope.DenoisedImage),
        new("GET", "/api/restore/derived", Access.Read),
        new("GET", "/api/restore/derived/{id:guid}", Access.Read, ResourceScope.RestoredImage),
        new("GET", "/api/restore/derived/{id:guid}/file", Access.Read, ResourceScope.RestoredImage),
        new("GET", "/api/restore/derived/{id:guid}/image", Access.Read, ResourceScope.RestoredImage),
        new("GET", "/api/restore/derived/{id:guid}/render.png", Access.Read, ResourceScope.RestoredImage),
        new("GET", "/api/restore/derived/{id:guid}/forwarding", Access.Read, ResourceScope.RestoredImage),
        new("POST", "/api/restore/derived/{id:guid}/forward", Access.Upload, ResourceScope.RestoredImage),

        // Models: anyone with a clinical role reads the registry; only admins change it.
        new("GET", "/api/models", Access.Read),
        new("GET", "/api/models/{name}", Access.Read),
        new("GET", "/api/models/{name}/active", Access.Read),
        new("GET", "/api/models/{name}/versions/{version}", Access.Read),
        new("GET", "/api/models/{name}/versions/{version}/card", Access.Read),
        new("GET", "/api/models/{name}/versions/{version}/model.onnx", Access.Read),
        new("POST", "/api/models", Access.Admin),
        new("POST", "/api/models/{name}/active", Access.Admin),
        new("DELETE", "/api/models/{name}/active", Access.Admin),
        new("DELETE", "/api/models/{name}/versions/{version}", Access.Admin),

        // Reporting: reports are written by clinical roles (and report intake machines), read by all clinical roles; each
        // follows its study's project (a pending report: the default project).
        new("GET", "/api/reporting/info", Access.Authenticated),
        new("POST", "/api/reporting/reports", Access.Upload),
        new("GET", "/api/reporting/reports", Access.Read),
        new("GET", "/api/reporting/reports/{id:guid}", Access.Read, ResourceScope.Report),
        new("GET", "/api/reporting/reports/{id:guid}/versions", Access.Read, ResourceScope.Report),
        new("GET", "/api/reporting/studies/{studyUid}/report", Access.Read, ResourceScope.Study),
        new("GET", "/api/reporting/studies/{studyUid}/report.html", Access.Read, ResourceScope.Study),
        new("GET", "/api/reporting/studies/{studyUid}/report/sr", Access.Read, ResourceScope.Study),
        new("POST", "/api/reporting/studies/{studyUid}/report/sr/forward", Access.Upload, ResourceScope.Study),
        new("GET", "/api/reporting/instances/{id:guid}/image", Access.Read, ResourceScope.Instance),
        new("GET", "/api/reporting/instances/{id:guid}/render.png", Access.Read, ResourceScope.Instance),
        new("GET", "/api/reporting/derived/{id:guid}/image", Access.Read, ResourceScope.ReportingDerivedImage),
        new("GET", "/api/reporting/derived/{id:guid}/render.png", Access.Read, ResourceScope.ReportingDerivedImage),
        // Research data-set exports: a read of data (researchers included); the export's decryption key only for admins.
        new("POST", "/api/reporting/exports", Access.Read),
        new("GET", "/api/reporting/exports", Access.Read),
        new("GET", "/api/reporting/exports/{id:guid}", Access.Read, ResourceScope.Export),
        new("GET", "/api/reporting/exports/{id:guid}/files/{name}", Access.Read, ResourceScope.Export),
        new("GET", "/api/reporting/admin/exports/{id:guid}/key", Access.Admin),

        // Segmentation: starting and cancelling a job is annotation work (its result becomes the slide's AI layer);
        // viewing jobs, progress and overlays is a read. No route carries a slide id, so the scope is None here and the
        // endpoints answer 404 for a job whose slide (project copied onto the job) the caller may not see.
        new("GET", "/api/segmentation/info", Access.Authenticated),
        new("POST", "/api/segmentation/jobs", Access.Annotate),
        new("GET", "/api/segmentation/jobs", Access.Read),
        new("GET", "/api/segmentation/jobs/{id:guid}", Access.Read),
        new("GET", "/api/segmentation/jobs/{id:guid}/events", Access.Read),
        new("POST", "/api/segmentation/jobs/{id:guid}/cancel", Access.Annotate),
        new("GET", "/api/segmentation/jobs/{id:guid}/overlay.dzi", Access.Read),
        new("GET", "/api/segmentation/jobs/{id:guid}/overlay_files/{level:int}/{column:int}_{row:int}.png", Access.Read),

        // Slides: catalogue, uploads, tiles, annotations.
        new("GET", "/api/slides/info", Access.Authenticated),
        new("GET", "/api/slides", Access.Read),
        new("POST", "/api/slides", Access.Upload),
        new("POST", "/api/slides/uploads", Access.Upload),
        new("GET", "/api/slides/uploads/{id:guid}", Access.Upload, ResourceScope.Upload),
        new("HEAD", "/api/slides/uploads/{id:guid}", Access.Upload, ResourceScope.Upload),
        new("PUT", "/api/slides/uploads/{id:guid}", Access.Upload, ResourceScope.Upload),
        new("POST", "/api/slides/uploads/{id:guid}/complete", Access.Upload, ResourceScope.Upload),
        new("DELETE", "/api/slides/uploads/{id:guid}", Access.Upload, ResourceScope.Upload),
        new("GET", "/api/slides/{id:guid}", Access.Read, ResourceScope.Slide),
        new("PATCH", "/api/slides/{id:guid}", Access.Curate, ResourceScope.Slide),
        new("DELETE", "/api/slides/{id:guid}", Access.Curate, ResourceScope.Slide),
        new("GET", "/api/slides/{id:guid}/file", Access.Read, ResourceScope.Slide),
        new("GET", "/api/slides/{id:guid}/audit", Access.Admin, ResourceScope.Slide),
        new("GET", "/api/slides/{id:guid}.dzi", Access.Read, ResourceScope.Slide),
        new("GET", "/api/slides/{id:guid}_files/{level:int}/{column:int}_{row:int}.jpeg", Access.Read, ResourceScope.Slide),
        new("GET", "/api/slides/{id:guid}/tiles/{level:int}/{column:int}_{row:int}.jpeg", Access.Read, ResourceScope.Slide),
        new("GET", "/api/slides/{id:guid}/thumbnail.png", Access.Read, ResourceScope.Slide),
        new("GET", "/api/slides/{id:guid}/associated/{name}.png", Access.Read, ResourceScope.Slide),
        new("GET", "/api/slides/{id:guid}/annotations", Access.Read, ResourceScope.Slide),
        new("POST", "/api/slides/{id:guid}/annotations", Access.Annotate, ResourceScope.Slide),
        new("GET", "/api/slides/{id:guid}/annotations/{annotationId:guid}", Access.Read, ResourceScope.Slide),
        new("PUT", "/api/slides/{id:guid}/annotations/{annotationId:guid}", Access.Annotate, ResourceScope.Slide),
        new("DELETE", "/api/slides/{id:guid}/annotations/{annotationId:guid}", Access.Annotate, ResourceScope.Slide),
        new("GET", "/api/slides/{id:guid}/annotations/history", Access.Read, ResourceScope.Slide),
        new("GET", "/api/slides/{id:guid}/annotations/export", Access.Read, ResourceScope.Slide),
        new("POST", "/api/slides/{id:guid}/annotations/import", Access.Annotate, ResourceScope.Slide),
    ];

    /// <summary>Access for routes the table does not name.</summary>
    public const string DefaultAccess = Access.Read;

    private static readonly Dictionary<string, RouteRule> ByKey = Rules.ToDictionary(r => r.Key, StringComparer.OrdinalIgnoreCase);

    public static string NormalizePattern(string pattern)
    {
        var p = "/" + pattern.Trim().Trim('/');
        return p;
    }

    public static string KeyOf(string method, string pattern) => $"{method.ToUpperInvariant()} {NormalizePattern(pattern)}";

    /// <summary>The rule for an endpoint's own pattern (exact, as mapped), or null when the table lacks it.</summary>
    public static RouteRule? Find(string method, string pattern) => ByKey.GetValueOrDefault(KeyOf(method, pattern));
}
