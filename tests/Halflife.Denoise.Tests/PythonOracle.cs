using Halflife.Testing;

namespace Halflife.Denoise.Tests;

/// <summary>
/// Debian's Python (numpy, scipy, skimage) running the repository's own training/restore code: the reference the C#
/// metrics must agree with. Missing: fail under CI, skip elsewhere.
/// </summary>
internal static class PythonOracle
{
    private const string Python = "/usr/bin/python3";

    public static void Require()
    {
        if (!File.Exists(Python) || Run("import numpy, scipy.ndimage, skimage.metrics").ExitCode != 0)
            TestServers.Unavailable("numpy, scipy and skimage for /usr/bin/python3 (apt python3-numpy python3-scipy python3-skimage)");
    }

    /// <summary>Runs a script from the repository root (so that `training` imports) and returns its output.</summary>
    public static (int ExitCode, string Output, string Error) Run(string script, params string[] arguments) =>
        ExternalTools.RunIn(TestPaths.RepoRoot, Python, ["-c", script, .. arguments]);
}
