using System.Text.RegularExpressions;

namespace Halflife.Deployment.Tests.Infrastructure;

/// <summary>
/// The first path segment of every /api route a host serves ("ingest" for /api/ingest/...), read from the code: the
/// modules its Program.cs creates (<c>new ModelsModule()</c>), then the Map*("/api/...") calls in each module's
/// project. The gateway must route each of these prefixes to that host.
/// </summary>
public static partial class ApiPrefixes
{
    public static IReadOnlyList<string> Of(ServiceHost host)
    {
        var program = Path.Combine(Path.GetDirectoryName(host.ProjectPath)!, "Program.cs");
        var prefixes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match module in ModuleCreation().Matches(File.ReadAllText(program)))
        {
            foreach (var file in SourcesOf(ProjectFolderDeclaring(module.Groups["type"].Value)))
                foreach (Match route in ApiRoute().Matches(File.ReadAllText(file))) prefixes.Add(route.Groups["prefix"].Value);
        }
        return prefixes.ToList();
    }

    /// <summary>Every prefix in the repository with the host that serves it; a prefix served by two hosts is an error.</summary>
    public static IReadOnlyDictionary<string, string> HostsByPrefix()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var host in Repository.ServiceHosts())
        {
            foreach (var prefix in Of(host))
            {
                if (map.TryGetValue(prefix, out var other))
                    throw new InvalidDataException($"/api/{prefix} is served by both {other} and {host.Name}: the gateway can route it to only one");
                map[prefix] = host.Name;
            }
        }
        return map;
    }

    private static string ProjectFolderDeclaring(string type)
    {
        var declaration = new Regex($@"\bclass\s+{Regex.Escape(type)}\b");
        var file = new[] { "services", "gateway" }.Select(t => Repository.PathOf(t)).Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !Repository.IsBuildOutput(f))
            .FirstOrDefault(f => declaration.IsMatch(File.ReadAllText(f)))
            ?? throw new InvalidDataException($"no class {type} under services/ or gateway/");
        for (var dir = Path.GetDirectoryName(file); dir is not null; dir = Path.GetDirectoryName(dir))
            if (Directory.EnumerateFiles(dir, "*.csproj").Any()) return dir;
        throw new InvalidDataException($"{file} is in no project");
    }

    private static IEnumerable<string> SourcesOf(string projectFolder) =>
        Directory.EnumerateFiles(projectFolder, "*.cs", SearchOption.AllDirectories).Where(f => !Repository.IsBuildOutput(f));

    [GeneratedRegex(@"\bnew\s+(?<type>\w+Module)\s*\(")]
    private static partial Regex ModuleCreation();

    [GeneratedRegex(@"\.Map(?:Group|Get|Post|Put|Patch|Delete|Methods)\(\s*""/api/(?<prefix>[a-z0-9-]+)")]
    private static partial Regex ApiRoute();
}
