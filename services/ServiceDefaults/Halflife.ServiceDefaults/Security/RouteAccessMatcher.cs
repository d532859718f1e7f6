using Microsoft.AspNetCore.Routing.Template;

namespace Halflife.ServiceDefaults.Security;

/// <summary>
/// Finds the <see cref="RouteAccessTable"/> rule for a request path when no endpoint of this process describes it
/// (the gateway only proxies /api/{service}/**). Templates are matched by shape (constraints are not evaluated) and
/// the most specific match wins, as ASP.NET routing's inbound precedence orders them.
/// </summary>
public static class RouteAccessMatcher
{
    private sealed record Candidate(RouteRule Rule, TemplateMatcher Matcher, decimal Precedence);

    private static readonly Lazy<IReadOnlyList<Candidate>> Candidates = new(() => RouteAccessTable.Rules.Select(r =>
    {
        var template = TemplateParser.Parse(r.Pattern.TrimStart('/'));
        return new Candidate(r, new TemplateMatcher(template, new RouteValueDictionary()), RoutePrecedence.ComputeInbound(template));
    }).OrderBy(c => c.Precedence).ToList());

    public static RouteRule? Match(string method, PathString path)
    {
        foreach (var candidate in Candidates.Value)
        {
            if (!string.Equals(candidate.Rule.Method, method, StringComparison.OrdinalIgnoreCase)) continue;
            var values = new RouteValueDictionary();
            if (candidate.Matcher.TryMatch(path, values)) return candidate.Rule;
        }
        return null;
    }
}
