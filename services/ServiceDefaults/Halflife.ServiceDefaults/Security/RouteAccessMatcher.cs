using System.Globalization;
using Microsoft.AspNetCore.Routing.Template;

namespace Halflife.ServiceDefaults.Security;

/// <summary>
/// Finds the <see cref="RouteAccessTable"/> rule for a request path when no endpoint of this process describes it
/// (the gateway only proxies /api/{service}/**). Templates are matched by shape, then their guid and int constraints
/// are checked (so "{id:guid}" does not swallow "{id}.dzi"), and the most specific match wins, as ASP.NET routing's
/// inbound precedence orders them.
/// </summary>
public static class RouteAccessMatcher
{
    private sealed record Candidate(RouteRule Rule, RouteTemplate Template, TemplateMatcher Matcher, decimal Precedence);

    private static readonly Lazy<IReadOnlyList<Candidate>> Candidates = new(() => RouteAccessTable.Rules.Select(r =>
    {
        var template = TemplateParser.Parse(r.Pattern.TrimStart('/'));
        return new Candidate(r, template, new TemplateMatcher(template, new RouteValueDictionary()), RoutePrecedence.ComputeInbound(template));
    }).OrderBy(c => c.Precedence).ToList());

    public static RouteRule? Match(string method, PathString path)
    {
        foreach (var candidate in Candidates.Value)
        {
            if (!string.Equals(candidate.Rule.Method, method, StringComparison.OrdinalIgnoreCase)) continue;
            var values = new RouteValueDictionary();
            if (candidate.Matcher.TryMatch(path, values) && ConstraintsHold(candidate.Template, values)) return candidate.Rule;
        }
        return null;
    }

    private static bool ConstraintsHold(RouteTemplate template, RouteValueDictionary values)
    {
        foreach (var part in template.Segments.SelectMany(s => s.Parts).Where(p => p.IsParameter))
        {
            var value = values[part.Name!]?.ToString();
            foreach (var constraint in part.InlineConstraints)
            {
                var ok = constraint.Constraint switch
                {
                    "guid" => Guid.TryParse(value, out _),
                    "int" => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
                    _ => true,
                };
                if (!ok) return false;
            }
        }
        return true;
    }
}
