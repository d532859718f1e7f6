using System.Text.RegularExpressions;
using Halflife.Deployment.Tests.Infrastructure;

namespace Halflife.Deployment.Tests.Compose;

/// <summary>docker-compose.yml at the repository root, merge keys resolved.</summary>
public sealed partial class ComposeFile
{
    private ComposeFile(string text, Dictionary<string, object?> root)
    {
        Text = text;
        Root = root;
        Services = Yaml.Map(root["services"], "services").ToDictionary(kv => kv.Key, kv => Yaml.Map(kv.Value, kv.Key), StringComparer.Ordinal);
    }

    public static string PathOnDisk => Repository.PathOf("docker-compose.yml");

    public string Text { get; }

    public Dictionary<string, object?> Root { get; }

    public IReadOnlyDictionary<string, Dictionary<string, object?>> Services { get; }

    public static ComposeFile Load()
    {
        var text = File.ReadAllText(PathOnDisk);
        return new ComposeFile(text, Yaml.ParseAll(text, "docker-compose.yml").Single());
    }

    /// <summary>environment as a map, whether written as a map or as a list of KEY=VALUE.</summary>
    public static Dictionary<string, string> Environment(Dictionary<string, object?> service)
    {
        if (!service.TryGetValue("environment", out var env) || env is null) return new(StringComparer.Ordinal);
        if (env is Dictionary<string, object?> map) return map.ToDictionary(kv => kv.Key, kv => kv.Value as string ?? "", StringComparer.Ordinal);
        return Yaml.List(env, "environment").OfType<string>().Select(e => e.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);
    }

    /// <summary>depends_on as service -> condition (short list form means service_started).</summary>
    public static Dictionary<string, string> DependsOn(Dictionary<string, object?> service)
    {
        if (!service.TryGetValue("depends_on", out var deps) || deps is null) return new(StringComparer.Ordinal);
        if (deps is Dictionary<string, object?> map)
            return map.ToDictionary(kv => kv.Key, kv => Yaml.Map(kv.Value, kv.Key).Str("condition") ?? "service_started", StringComparer.Ordinal);
        return Yaml.List(deps, "depends_on").OfType<string>().ToDictionary(d => d, _ => "service_started", StringComparer.Ordinal);
    }

    /// <summary>Variables the file interpolates (${NAME}, ${NAME:-default}, ${NAME:?error}); $$ is a literal dollar.</summary>
    public IReadOnlyList<(string Name, bool HasDefault)> Variables() =>
        Interpolation().Matches(Text.Replace("$$", "", StringComparison.Ordinal))
            .Select(m => (m.Groups["name"].Value, m.Groups["op"].Value.StartsWith(":-", StringComparison.Ordinal) || m.Groups["op"].Value.StartsWith('-')))
            .Distinct()
            .ToList();

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?<op>[^}]*)\}")]
    private static partial Regex Interpolation();
}
