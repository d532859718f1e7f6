using System.Text.RegularExpressions;
using Halflife.Deployment.Tests.Infrastructure;

namespace Halflife.Deployment.Tests.Docker;

/// <summary>
/// An image builds only if its build stage receives every project the host references: a new top-level folder
/// (or a .dockerignore entry) that the Dockerfile does not copy breaks `docker build` long after the change.
/// </summary>
public sealed partial class BuildContextTests
{
    public static TheoryData<string> Hosts()
    {
        var data = new TheoryData<string>();
        foreach (var host in Repository.ServiceHosts()) data.Add(host.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public void The_build_stage_copies_every_project_the_host_references(string name)
    {
        var host = Repository.ServiceHosts().Single(h => h.Name == name);
        var build = Dockerfile.Load(host.DockerfilePath).Stages
            .Single(s => s.All("RUN").Any(r => r.Arguments.Contains("dotnet publish", StringComparison.Ordinal)));
        var copied = build.All("COPY").Where(c => !c.SplitFlags().Flags.ContainsKey("from"))
            .SelectMany(c => c.SplitFlags().Remainder.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
            .Select(p => p.TrimEnd('/'))
            .ToHashSet(StringComparer.Ordinal);

        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props" })
            Assert.True(copied.Contains(file), $"{name}: the build stage does not copy {file}");

        var ignored = DockerIgnoredTopLevel();
        foreach (var project in ProjectClosure(host.ProjectPath))
        {
            var relative = Path.GetRelativePath(Repository.Root, project).Replace('\\', '/');
            var top = relative.Split('/')[0];
            Assert.True(copied.Contains(top), $"{name}: references {relative}, but the build stage copies only {string.Join(", ", copied)}");
            Assert.False(ignored.Contains(top), $"{name}: references {relative}, but .dockerignore leaves {top}/ out of the context");
        }
    }

    public static TheoryData<string> AllDockerfiles() => DockerfileTests.AllDockerfiles();

    [Theory]
    [MemberData(nameof(AllDockerfiles))]
    public void Everything_copied_from_the_context_exists_and_is_not_ignored(string relativePath)
    {
        var ignored = DockerIgnoredTopLevel();
        foreach (var copy in Dockerfile.Load(Path.Combine(Repository.Root, relativePath)).Instructions.Where(i => i.Keyword is "COPY" or "ADD"))
        {
            var (flags, remainder) = copy.SplitFlags();
            if (flags.ContainsKey("from") || remainder.StartsWith('[')) continue;
            foreach (var source in remainder.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
            {
                if (source.Contains("://", StringComparison.Ordinal)) continue; // ADD of a URL
                var local = source.TrimEnd('/');
                Assert.True(File.Exists(Repository.PathOf(local.Split('/'))) || Directory.Exists(Repository.PathOf(local.Split('/'))),
                    $"{relativePath}:{copy.Line}: copies {source}, which is not in the repository");
                Assert.False(ignored.Contains(local.Split('/')[0]), $"{relativePath}:{copy.Line}: copies {source}, which .dockerignore leaves out");
            }
        }
    }

    [Fact]
    public void The_closure_walk_finds_transitive_references()
    {
        // Restore -> Halflife.Restore -> Halflife.Inference (a library two levels down).
        var restore = Repository.ServiceHosts().Single(h => h.Name == "restore");
        Assert.Contains(ProjectClosure(restore.ProjectPath), p => p.EndsWith("Halflife.Inference.csproj", StringComparison.Ordinal));
    }

    private static IReadOnlySet<string> ProjectClosure(string root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(root)]);
        while (pending.Count > 0)
        {
            var project = pending.Pop();
            if (!seen.Add(project)) continue;
            foreach (Match m in ProjectReference().Matches(File.ReadAllText(project)))
            {
                var referenced = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, m.Groups[1].Value.Replace('\\', '/')));
                Assert.True(File.Exists(referenced), $"{project} references {referenced}, which does not exist");
                pending.Push(referenced);
            }
        }
        return seen;
    }

    /// <summary>Top-level folders .dockerignore removes from the context ("docs/", "tests/"; not "**/bin/").</summary>
    private static HashSet<string> DockerIgnoredTopLevel() =>
        File.ReadAllLines(Repository.PathOf(".dockerignore"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith('!') && !l.StartsWith('*'))
            .Select(l => l.TrimEnd('/'))
            .Where(l => !l.Contains('/', StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"<ProjectReference\s+Include=""([^""]+)""")]
    private static partial Regex ProjectReference();
}
