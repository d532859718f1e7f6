using System.Text.Json;
using Halflife.Deployment.Tests.Infrastructure;

namespace Halflife.Deployment.Tests.Monitoring;

/// <summary>A PromQL expression and where it was written (dashboard panel or alert rule).</summary>
public sealed record Query(string Expression, string Source);

/// <summary>Grafana dashboards, Prometheus alert rules and the documented list of external metric prefixes.</summary>
public static class MonitoringFiles
{
    public static string DashboardsFolder => Repository.PathOf("monitoring", "grafana", "dashboards");

    public static IReadOnlyList<string> Dashboards() =>
        Directory.EnumerateFiles(DashboardsFolder, "*.json").Order(StringComparer.Ordinal).ToList();

    /// <summary>Every "expr" of every panel target (rows and nested panels included).</summary>
    public static IReadOnlyList<Query> DashboardQueries(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var queries = new List<Query>();
        Collect(document.RootElement, Path.GetFileName(path), "", queries);
        return queries;
    }

    public static IReadOnlyList<Query> AlertQueries()
    {
        var rules = Yaml.Load(Repository.PathOf("monitoring", "prometheus", "alerts.yml"));
        var queries = new List<Query>();
        foreach (var group in rules.ListAt("groups").Select(g => Yaml.Map(g, "group")))
        {
            foreach (var rule in group.ListAt("rules").Select(r => Yaml.Map(r, "rule")))
                queries.Add(new Query(rule.Str("expr") ?? throw new InvalidDataException($"alert {rule.Str("alert")} has no expr"), $"alerts.yml:{rule.Str("alert")}"));
        }
        return queries;
    }

    public static IReadOnlyList<string> AlertNames() =>
        AlertQueries().Select(q => q.Source["alerts.yml:".Length..]).ToList();

    /// <summary>monitoring/external-metrics.txt: "prefix who-emits-it" per line, '#' comments.</summary>
    public static IReadOnlyList<string> ExternalPrefixes() =>
        File.ReadAllLines(Repository.PathOf("monitoring", "external-metrics.txt"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2)[0])
            .ToList();

    private static void Collect(JsonElement element, string file, string panel, List<Query> queries)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var title = element.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : panel;
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "expr" && property.Value.ValueKind == JsonValueKind.String)
                        queries.Add(new Query(property.Value.GetString()!, $"{file}: {title}"));
                    else
                        Collect(property.Value, file, title, queries);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Collect(item, file, panel, queries);
                break;
        }
    }
}
