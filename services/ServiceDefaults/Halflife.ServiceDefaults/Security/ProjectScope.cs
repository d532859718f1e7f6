using System.Linq.Expressions;
using Halflife.ServiceDefaults.Security.Audit;

namespace Halflife.ServiceDefaults.Security;

/// <summary>The project a resource belongs to (null: stored without one, that is the default project).</summary>
public sealed record ResourceProject(string? ProjectId);

/// <summary>Finds the project of the resource a route names; null when the resource does not exist.</summary>
public delegate Task<ResourceProject?> ResourceProjectLookup(HttpContext context, string id, CancellationToken cancellationToken);

/// <summary>
/// Project scoping shared by the services whose data is derived from studies (Denoise, Restore, Reporting): one
/// group filter for the routes that name a resource, one query filter for lists. Ingest and Slides keep their own
/// filters, which do the same against their own tables.
/// </summary>
public static class ProjectScope
{
    /// <summary>
    /// On every endpoint of the group whose route has <paramref name="routeValue"/>: a resource of a project the caller
    /// is not in answers 404 like a missing one (existence is not leaked) and the attempt is audited as denied; for
    /// a visible one the project is kept for the audit record of the call. Missing resources are left to the handler.
    /// </summary>
    public static TBuilder RequireProjectAccess<TBuilder>(this TBuilder group, string resourceType, ResourceProjectLookup projectOf,
        string routeValue = "id") where TBuilder : IEndpointConventionBuilder =>
        group.AddEndpointFilter(async (invocation, next) =>
        {
            var http = invocation.HttpContext;
            if (http.GetRouteValue(routeValue)?.ToString() is not { Length: > 0 } id) return await next(invocation);
            var found = await projectOf(http, id, http.RequestAborted);
            if (found is null) return await next(invocation);
            http.Items[AuditEndpointExtensions.ProjectItem] = found.ProjectId;
            if (http.RequestServices.GetRequiredService<ProjectAccess>().CanSee(found.ProjectId)) return await next(invocation);
            await http.RecordDeniedAsync(resourceType, id, found.ProjectId);
            return Results.Problem($"{resourceType} {id} does not exist.", statusCode: StatusCodes.Status404NotFound);
        });

    /// <summary>Only the rows of the caller's projects (rows without a project count as the default project).</summary>
    public static IQueryable<T> VisibleTo<T>(this IQueryable<T> query, ProjectAccess access, Expression<Func<T, string?>> projectOf)
    {
        if (access.SeesAll) return query;
        var projects = access.Projects.ToList();
        var unassigned = access.SeesUnassigned;
        // row => (project(row) == null && unassigned) || (project(row) != null && projects.Contains(project(row)))
        var row = projectOf.Parameters[0];
        var project = projectOf.Body;
        var none = Expression.Constant(null, typeof(string));
        var contains = Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(string)], Expression.Constant(projects), project);
        var body = Expression.OrElse(
            Expression.AndAlso(Expression.Equal(project, none), Expression.Constant(unassigned)),
            Expression.AndAlso(Expression.NotEqual(project, none), contains));
        return query.Where(Expression.Lambda<Func<T, bool>>(body, row));
    }
}
