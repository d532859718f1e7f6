using Halflife.ServiceDefaults.Security;
using Halflife.ServiceDefaults.Security.Audit;
using Halflife.Slides.Catalogue;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Slides.Api;

/// <summary>
/// Project scoping for every /api/slides route that names a slide ({id}): a slide of a project the caller is not in
/// answers 404 exactly like a slide that does not exist, so existence is not leaked. An upload session is visible
/// only to whoever started it (and admins).
/// </summary>
public static class SlideAccessFilter
{
    public static RouteGroupBuilder RequireSlideAccess(this RouteGroupBuilder group) => group.AddEndpointFilter(async (invocation, next) =>
    {
        var http = invocation.HttpContext;
        var access = http.RequestServices.GetRequiredService<ProjectAccess>();
        if (!Guid.TryParse(http.GetRouteValue("id")?.ToString(), out var id)) return await next(invocation);
        var db = http.RequestServices.GetRequiredService<SlidesDbContext>();
        var isUpload = http.Request.Path.StartsWithSegments("/api/slides/uploads");
        if (isUpload)
        {
            if (access.SeesAll) return await next(invocation);
            var session = await db.Uploads.AsNoTracking().Where(u => u.Id == id).Select(u => new { u.CreatedBy }).FirstOrDefaultAsync(http.RequestAborted);
            if (session is not null && session.CreatedBy != Requester.From(http).User)
                return SlideMapping.Problem(StatusCodes.Status404NotFound, $"Upload {id} does not exist.");
            return await next(invocation);
        }
        var slide = await db.Slides.AsNoTracking().Where(s => s.Id == id).Select(s => new { s.ProjectId }).FirstOrDefaultAsync(http.RequestAborted);
        if (slide is not null)
        {
            http.Items[AuditEndpointExtensions.ProjectItem] = slide.ProjectId;
            if (!access.CanSee(slide.ProjectId))
            {
                await http.RecordDeniedAsync(AuditResources.Slide, id.ToString(), slide.ProjectId);
                return SlideMapping.NotFound(id);
            }
        }
        return await next(invocation);
    });
}
