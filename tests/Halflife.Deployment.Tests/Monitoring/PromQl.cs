using System.Text.RegularExpressions;

namespace Halflife.Deployment.Tests.Monitoring;

/// <summary>
/// Pulls the metric names out of a PromQL expression (as written in Grafana panels and alert rules) without a full
/// parser: strings, label matchers, ranges, grouping clauses and Grafana variables are removed first; what remains
/// that is an identifier not followed by '(' and not a keyword is a metric name.
/// </summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan", "atan2",
    };

    public static IReadOnlyList<string> MetricNames(string expression)
    {
        var text = Strings().Replace(expression, " ");
        text = GrafanaVariables().Replace(text, " ");
        text = Nested(text, '{', '}');
        text = Nested(text, '[', ']');
        text = Grouping().Replace(text, " ");
        text = OffsetDuration().Replace(text, " ");

        var names = new List<string>();
        foreach (Match m in Identifier().Matches(text))
        {
            var after = text[(m.Index + m.Length)..].TrimStart();
            if (after.StartsWith('(')) continue; // a function or an aggregation
            if (Keywords.Contains(m.Value)) continue;
            names.Add(m.Value);
        }
        return names.Distinct(StringComparer.Ordinal).ToList();
    }

    private static string Nested(string text, char open, char close)
    {
        var result = new System.Text.StringBuilder(text.Length);
        var depth = 0;
        foreach (var c in text)
        {
            if (c == open) { depth++; continue; }
            if (c == close && depth > 0) { depth--; continue; }
            if (depth == 0) result.Append(c);
        }
        if (depth != 0) throw new FormatException($"unbalanced '{open}' in PromQL: {text}");
        return result.ToString();
    }

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'|`[^`]*`")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\$\{[^}]*\}|\$\w+")]
    private static partial Regex GrafanaVariables();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", RegexOptions.IgnoreCase)]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\boffset\s+-?[0-9a-z]+", RegexOptions.IgnoreCase)]
    private static partial Regex OffsetDuration();

    [GeneratedRegex(@"(?<![\w.:$])[A-Za-z_:][A-Za-z0-9_:]*")]
    private static partial Regex Identifier();
}
