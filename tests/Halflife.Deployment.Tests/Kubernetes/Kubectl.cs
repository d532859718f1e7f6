using System.Diagnostics;
using Halflife.Testing;

namespace Halflife.Deployment.Tests.Kubernetes;

/// <summary>
/// The kubectl that renders the overlays: HALFLIFE_KUBECTL if set, else the first on PATH. CI installs Debian's
/// kubernetes-client (kubectl 1.20, kustomize v2 inside), the oldest client the manifests promise to support.
/// </summary>
public static class Kubectl
{
    public static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable("HALFLIFE_KUBECTL");
        if (!string.IsNullOrWhiteSpace(configured)) return File.Exists(configured) ? configured : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "kubectl");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Fails under CI, skips elsewhere, when no kubectl is installed.</summary>
    public static string Require()
    {
        var kubectl = Find();
        if (kubectl is null) TestServers.Unavailable("kubectl (Debian package kubernetes-client; or set HALFLIFE_KUBECTL)");
        return kubectl!;
    }

    /// <summary>`kubectl kustomize dir`: the rendered YAML, or an exception with kubectl's own error.</summary>
    public static string Kustomize(string kubectl, string directory)
    {
        var start = new ProcessStartInfo(kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);
        // No cluster is contacted, but keep kubectl away from the developer's kubeconfig all the same.
        start.Environment["KUBECONFIG"] = Path.Combine(Path.GetTempPath(), "halflife-no-kubeconfig");

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {kubectl}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl kustomize {directory} did not finish in 60 s");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"kubectl kustomize {directory} exited {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
