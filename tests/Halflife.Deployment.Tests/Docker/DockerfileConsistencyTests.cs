using System.Text.RegularExpressions;
using Halflife.Deployment.Tests.Infrastructure;
using Halflife.Deployment.Tests.Kubernetes;

namespace Halflife.Deployment.Tests.Docker;

/// <summary>
/// The Dockerfiles repeat the same build and runtime steps on purpose: each builds on its own with a plain
/// `docker build -f`, with no base image to build first and no bake file to keep in step. What makes that safe is
/// this check: the repeated parts are the same everywhere, and agree with what compose and Kubernetes assume
/// (user id, data folder, port), so a fix applied to one file and forgotten in another fails here.
/// </summary>
public sealed partial class DockerfileConsistencyTests
{
    private static readonly IReadOnlyList<(string Path, Dockerfile File)> All =
        Repository.Dockerfiles().Select(p => (Path.GetRelativePath(Repository.Root, p), Dockerfile.Load(p))).ToList();

    [Fact]
    public void Every_image_asks_the_same_health_endpoint_the_same_way()
    {
        var probes = All.Select(d => (d.Path, Probe: HealthCommand(d.File))).ToList();
        var expected = probes[0].Probe;
        Assert.Contains("/health/live", expected, StringComparison.Ordinal);
        foreach (var (path, probe) in probes) Assert.True(probe == expected, $"{path}: HEALTHCHECK CMD differs from {probes[0].Path}'s");
    }

    [Fact]
    public void Every_image_publishes_with_the_same_options()
    {
        foreach (var (path, file) in All)
        {
            var publish = file.Instructions.Single(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal));
            var options = Whitespace().Replace(publish.Arguments[publish.Arguments.IndexOf(".csproj", StringComparison.Ordinal)..], " ");
            Assert.Equal(".csproj -c Release -o /app -p:UseAppHost=false -p:HalflifeFetchOnnxRuntime=false", options);
        }
    }

    [Fact]
    public void Every_image_runs_as_the_user_and_with_the_data_folder_and_port_that_kubernetes_expects()
    {
        var manifests = Manifests.Base();
        foreach (var (path, file) in All)
        {
            var final = file.FinalStage;
            Assert.Equal("1654", final.Last("USER")!.Arguments.Trim());
            var env = string.Join(' ', final.All("ENV").Select(e => e.Arguments));
            Assert.Contains("Halflife__DataDirectory=/var/lib/halflife", env, StringComparison.Ordinal);
            Assert.Contains(final.All("RUN"), r => r.Arguments.Contains("chown 1654:1654 /var/lib/halflife", StringComparison.Ordinal));
        }
        foreach (var host in Repository.ServiceHosts())
        {
            var deployment = manifests.Find("Deployment", host.Name)!;
            Assert.Equal("1654", Manifests.PodSpec(deployment).MapAt("securityContext")?.Str("runAsUser"));
            var ports = Manifests.Containers(deployment).Single().ListAt("ports").Select(p => Yaml.Map(p, "port").Str("containerPort")!).ToList();
            var exposed = Dockerfile.Load(host.DockerfilePath).FinalStage.All("EXPOSE").SelectMany(e => e.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
            Assert.True(ports.All(exposed.Contains), $"{host.Name}: the Deployment opens {string.Join(", ", ports)}, the image exposes {string.Join(", ", exposed)}");
        }
    }

    private static string HealthCommand(Dockerfile file)
    {
        var arguments = file.FinalStage.Last("HEALTHCHECK")!.Arguments;
        return arguments[arguments.IndexOf("CMD ", StringComparison.Ordinal)..];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
