using Halflife.Deployment.Tests.Infrastructure;

namespace Halflife.Deployment.Tests.Kubernetes;

/// <summary>
/// The kubectl that renders the overlays: HALFLIFE_KUBECTL if set, else the first on PATH. CI installs Debian's
/// kubernetes-client (kubectl 1.20, kustomize v2 inside), the oldest client the manifests promise to support.
/// </summary>
public static class Kubectl
{
    public static string Require() => Tool.Require("kubectl", "HALFLIFE_KUBECTL", "kubernetes-client");

    /// <summary>`kubectl kustomize dir`: the rendered YAML, or an exception with kubectl's own error.</summary>
    public static string Kustomize(string kubectl, string directory)
    {
        // No cluster is contacted, but keep kubectl away from the developer's kubeconfig all the same.
        var result = Tool.Run(kubectl, ["kustomize", directory],
            environment: new Dictionary<string, string> { ["KUBECONFIG"] = Path.Combine(Path.GetTempPath(), "halflife-no-kubeconfig") });
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"kubectl kustomize {directory} exited {result.ExitCode}: {result.Error}");
        return result.Output;
    }
}
