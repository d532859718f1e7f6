using Halflife.Ingest.Catalogue;
using Halflife.ServiceDefaults.Security;
using Halflife.ServiceDefaults.Security.Audit;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Ingest.Api;

/// <summary>
/// Project scoping for every /api/ingest/instances/{id} route of the group, including ones mapped elsewhere (the
/// image and render.png convention): an instance of another project's study answers 404 like a missing one.
/// </summary>
public static class InstanceAccessFilter
{
    public static RouteGroupBuilder RequireInstanceAccess(this RouteGroupBuilder group) => group.AddEndpointFilter(async (invocation, next) =>
    {
        var http = invocation.HttpContext;
        if (!http.Request.Path.StartsWithSegments("/api/ingest/instances") || !Guid.TryParse(http.GetRouteValue("id")?.ToString(), out var id))
            return await next(invocation);
        var access = http.RequestServices.GetRequiredService<ProjectAccess>();
        var db = http.RequestServices.GetRequiredService<IngestDbContext>();
        var found = await db.Instances.AsNoTracking().Where(i => i.Id == id).Select(i => new { i.Series!.Study!.ProjectId }).FirstOrDefaultAsync(http.RequestAborted);
        if (found is null) return await next(invocation);
        http.Items[AuditEndpointExtensions.ProjectItem] = found.ProjectId;
        if (access.CanSee(found.ProjectId)) return await next(invocation);
        await http.RecordDeniedAsync(AuditResources.Instance, id.ToString(), found.ProjectId);
        return Results.Problem($"Instance {id} is not in the catalogue.", statusCode: StatusCodes.Status404NotFound);
    });
}
