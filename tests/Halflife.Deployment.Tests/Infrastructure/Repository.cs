using System.Text.RegularExpressions;
using Halflife.Testing;

namespace Halflife.Deployment.Tests.Infrastructure;

/// <summary>One deployable process: a *.Host project (or the gateway host) and the folder its Dockerfile lives in.</summary>
/// <param name="Name">Lower-case service name used by compose, Kubernetes and OTEL_SERVICE_NAME ("ingest", "gateway").</param>
public sealed record ServiceHost(string Name, string ServiceFolder, string ProjectPath, string AssemblyName)
{
    public string DockerfilePath => Path.Combine(ServiceFolder, "Dockerfile");

    /// <summary>The project path as the Dockerfile's `dotnet publish` names it: relative to the repository root, with '/'.</summary>
    public string RelativeProjectPath => Path.GetRelativePath(Repository.Root, ProjectPath).Replace('\\', '/');
}

/// <summary>Finds the deployable parts of the repository from what is on disk, so new services are checked without editing tests.</summary>
public static partial class Repository
{
    public static string Root => TestPaths.RepoRoot;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>services/&lt;Svc&gt;/Halflife.&lt;Svc&gt;.Host and gateway/Gateway/Halflife.Gateway.Host.</summary>
    public static IReadOnlyList<ServiceHost> ServiceHosts()
    {
        var hosts = new List<ServiceHost>();
        foreach (var topLevel in new[] { "services", "gateway" })
        {
            var top = PathOf(topLevel);
            if (!Directory.Exists(top)) continue;
            foreach (var serviceFolder in Directory.GetDirectories(top))
            {
                foreach (var project in Directory.GetFiles(serviceFolder, "*.Host.csproj", SearchOption.AllDirectories))
                {
                    if (IsBuildOutput(project)) continue;
                    var folderName = Path.GetFileName(serviceFolder);
                    hosts.Add(new ServiceHost(folderName.ToLowerInvariant(), serviceFolder, project, AssemblyNameOf(project)));
                }
            }
        }
        return hosts.OrderBy(h => h.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Every Dockerfile of the repository (Dockerfile and Dockerfile.*), outside build output.</summary>
    public static IReadOnlyList<string> Dockerfiles() =>
        Directory.EnumerateFiles(Root, "Dockerfile*", SearchOption.AllDirectories)
            .Where(p => !IsBuildOutput(p) && !p.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(p => !Path.GetRelativePath(Root, p).StartsWith("tests" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Where(p => Path.GetFileName(p) is var n && (n == "Dockerfile" || (n.StartsWith("Dockerfile.", StringComparison.Ordinal) && !CodeExtensions.Contains(Path.GetExtension(n)))))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();

    // "Dockerfile.gpu" is a Dockerfile; "DockerfileTests.cs" or "Dockerfile.md" is not.
    private static readonly HashSet<string> CodeExtensions = new(StringComparer.OrdinalIgnoreCase) { ".cs", ".md", ".txt", ".json", ".yaml", ".yml" };

    public static bool IsBuildOutput(string path)
    {
        var parts = Path.GetRelativePath(Root, path).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return parts.Any(p => p is "bin" or "obj" or ".git" or "node_modules" or ".test-infra");
    }

    private static string AssemblyNameOf(string project)
    {
        var match = AssemblyNameElement().Match(File.ReadAllText(project));
        return match.Success ? match.Groups[1].Value.Trim() : Path.GetFileNameWithoutExtension(project);
    }

    [GeneratedRegex("<AssemblyName>([^<]+)</AssemblyName>")]
    private static partial Regex AssemblyNameElement();
}
