using Halflife.Deployment.Tests.Infrastructure;

namespace Halflife.Deployment.Tests.Kubernetes;

/// <summary>Kubernetes objects read from YAML files or from kubectl's rendering, with lookups by kind and name.</summary>
public sealed class Manifests(IReadOnlyList<Dictionary<string, object?>> objects)
{
    public IReadOnlyList<Dictionary<string, object?>> Objects { get; } = objects;

    public static string Root => Repository.PathOf("k8s");

    public static IReadOnlyList<string> YamlFiles() =>
        Directory.EnumerateFiles(Root, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

    /// <summary>Every object in k8s/base (kustomization files excluded): what the overlays start from.</summary>
    public static Manifests Base() =>
        new(YamlFiles().Where(f => f.StartsWith(Path.Combine(Root, "base"), StringComparison.Ordinal) && Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(Yaml.LoadAll).ToList());

    public IEnumerable<Dictionary<string, object?>> OfKind(string kind) => Objects.Where(o => o.Str("kind") == kind);

    public Dictionary<string, object?>? Find(string kind, string name) => OfKind(kind).FirstOrDefault(o => NameOf(o) == name);

    public static string NameOf(Dictionary<string, object?> o) => o.MapAt("metadata")?.Str("name") ?? "";

    public static Dictionary<string, object?> PodSpec(Dictionary<string, object?> workload) =>
        workload.MapAt("spec", "template", "spec") ?? throw new InvalidDataException($"{NameOf(workload)}: no pod template");

    public static IEnumerable<Dictionary<string, object?>> Containers(Dictionary<string, object?> workload) =>
        PodSpec(workload).ListAt("containers").Select(c => Yaml.Map(c, NameOf(workload)));

    /// <summary>Every secretKeyRef (secret name, key) anywhere under a node.</summary>
    public static IEnumerable<(string Secret, string Key)> SecretKeyRefs(object? node) => node switch
    {
        Dictionary<string, object?> map when map.MapAt("secretKeyRef") is { } r => [(r.Str("name") ?? "", r.Str("key") ?? "")],
        Dictionary<string, object?> map => map.Values.SelectMany(SecretKeyRefs),
        IEnumerable<object?> list when node is not string => list.SelectMany(SecretKeyRefs),
        _ => [],
    };
}
