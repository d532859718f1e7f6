using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Halflife.ServiceDefaults.Security;

/// <summary>
/// Applies <see cref="RouteAccessTable"/> to /api requests when Security:Enforce is true: 401 without a valid
/// identity, 403 without one of the route's roles. Project scoping is the endpoint's job (it knows which project
/// the addressed study or slide belongs to) through <see cref="ProjectAccess"/>.
/// </summary>
public sealed class AccessEnforcementMiddleware(RequestDelegate next, IOptionsMonitor<SecurityOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!options.CurrentValue.Enforce || !context.Request.Path.StartsWithSegments("/api"))
        {
            await next(context);
            return;
        }
        var rule = RuleFor(context);
        if (rule.Access == Access.Anonymous)
        {
            await next(context);
            return;
        }
        if (context.User.Identity?.IsAuthenticated != true)
        {
            await context.ChallengeAsync();
            return;
        }
        if (rule.Access != Access.Authenticated && !Access.RolesFor(rule.Access).Any(context.User.IsInRole))
        {
            await context.ForbidAsync();
            return;
        }
        await next(context);
    }

    /// <summary>The endpoint's own pattern when this process maps it, else the request path (proxied routes).</summary>
    public static RouteRule RuleFor(HttpContext context)
    {
        var method = context.Request.Method;
        if (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } pattern }
            && RouteAccessTable.Find(method, pattern) is { } exact)
            return exact;
        return RouteAccessMatcher.Match(method, context.Request.Path)
               ?? new RouteRule(method, context.Request.Path.Value ?? "", RouteAccessTable.DefaultAccess);
    }
}
