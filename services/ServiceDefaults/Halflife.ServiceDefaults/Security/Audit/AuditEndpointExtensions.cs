namespace Halflife.ServiceDefaults.Security.Audit;

/// <summary>
/// Declares on an endpoint what a successful call does to which resource, and records it in the audit log after the
/// handler ran: "who viewed, downloaded, changed or deleted which study, slide, annotation or model".
/// </summary>
public static class AuditEndpointExtensions
{
    /// <summary>Set by a project check so that the audit record names the resource's project.</summary>
    public const string ProjectItem = "Halflife.Audit.ProjectId";

    public static TBuilder Audited<TBuilder>(this TBuilder builder, string action, string resourceType, string routeValue = "id",
        Func<HttpContext, object?, string?>? resourceId = null) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            var result = await next(invocation);
            var http = invocation.HttpContext;
            var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : http.Response.StatusCode;
            if (status is >= 200 and < 300)
            {
                var id = resourceId?.Invoke(http, result) ?? http.GetRouteValue(routeValue)?.ToString() ?? "";
                var audit = http.RequestServices.GetRequiredService<IAuditLog>();
                await audit.RecordAsync(action, resourceType, id, http.Items[ProjectItem] as string, cancellationToken: http.RequestAborted);
            }
            return result;
        });

    /// <summary>The last path segment of a 201's Location (the id of what was created).</summary>
    public static string? CreatedId(HttpContext _, object? result) =>
        result?.GetType().GetProperty("Location")?.GetValue(result) is string location ? location.TrimEnd('/').Split('/')[^1] : null;

    /// <summary>Records a refused attempt (another project's resource): the caller got 404, the log gets the truth.</summary>
    public static Task RecordDeniedAsync(this HttpContext http, string resourceType, string resourceId, string? projectId) =>
        http.RequestServices.GetRequiredService<IAuditLog>().RecordAsync(http.Request.Method == "GET" ? AuditActions.View : AuditActions.Change,
            resourceType, resourceId, projectId, outcome: "denied", details: $"{http.Request.Method} {http.Request.Path}", cancellationToken: http.RequestAborted);
}
