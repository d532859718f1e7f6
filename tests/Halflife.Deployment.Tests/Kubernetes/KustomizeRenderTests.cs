using Halflife.Deployment.Tests.Infrastructure;

namespace Halflife.Deployment.Tests.Kubernetes;

/// <summary>Each overlay renders with kubectl's embedded kustomize, and the result is what the cluster will get.</summary>
public sealed class KustomizeRenderTests
{
    public static TheoryData<string> Overlays()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Path.Combine(Manifests.Root, "overlays")).Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(dir));
        return data;
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Overlay_renders_and_holds_every_host_in_the_halflife_namespace(string overlay)
    {
        var rendered = Render(overlay);
        foreach (var o in rendered.Objects.Where(o => o.Str("kind") != "Namespace"))
            Assert.True(o.MapAt("metadata")?.Str("namespace") == "halflife", $"{o.Str("kind")}/{Manifests.NameOf(o)} is outside namespace halflife");

        foreach (var host in Repository.ServiceHosts())
        {
            var deployment = rendered.Find("Deployment", host.Name);
            Assert.True(deployment is not null, $"overlay {overlay} renders no Deployment {host.Name}");
            // Generated ConfigMaps get a hash suffix; every reference (envFrom and single keys) must have followed it.
            var container = Manifests.Containers(deployment).Single();
            var referenced = container.ListAt("envFrom").Select(e => Yaml.Map(e, "envFrom").MapAt("configMapRef")?.Str("name"))
                .Concat(container.ListAt("env").Select(e => Yaml.Map(e, "env").MapAt("valueFrom", "configMapKeyRef")?.Str("name")))
                .OfType<string>().Distinct().ToList();
            Assert.NotEmpty(referenced);
            foreach (var configMap in referenced)
                Assert.True(rendered.Find("ConfigMap", configMap) is not null, $"overlay {overlay}: {host.Name} reads ConfigMap {configMap}, which it does not render");
        }

        var gpuWorkers = rendered.OfKind("Deployment")
            .Where(d => Manifests.Containers(d).Any(c => c.MapAt("resources", "limits")?.ContainsKey("nvidia.com/gpu") == true))
            .Select(Manifests.NameOf).Order().ToList();
        if (overlay == "gpu")
        {
            Assert.Equal(["restore", "segmentation"], gpuWorkers);
            foreach (var name in gpuWorkers)
                Assert.EndsWith("-gpu", Manifests.Containers(rendered.Find("Deployment", name)!).Single().Str("image"), StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(gpuWorkers);
        }
    }

    private static Manifests Render(string overlay)
    {
        var kubectl = Kubectl.Require();
        var yaml = Kubectl.Kustomize(kubectl, Path.Combine(Manifests.Root, "overlays", overlay));
        var objects = Yaml.ParseAll(yaml, $"kubectl kustomize overlays/{overlay}");
        Assert.NotEmpty(objects);
        return new Manifests(objects);
    }
}
