namespace Halflife.WebUi.Tests;

/// <summary>
/// What the browser test needs from outside the build: Debian's Chromium, the built UI (npm run build) and the
/// shared test data. Missing on CI is a failure with the fix in the message; on a developer's machine a skip.
/// </summary>
public static class Prerequisites
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static string WebRoot { get; } = Path.Combine(TestPaths.RepoRoot, "gateway", "web", "dist");

    /// <summary>Why the browser test cannot run here, or null.</summary>
    public static string? Missing(params string[] dataFiles)
    {
        var chromium = Environment.GetEnvironmentVariable("HALFLIFE_CHROMIUM") is { Length: > 0 } configured ? configured : ChromiumPath;
        if (!File.Exists(chromium))
            return $"Chromium is not installed at {chromium} (apt-get install -y chromium; see tests/infra/packages/webui.apt).";
        if (!File.Exists(Path.Combine(WebRoot, "index.html")))
            return $"The web UI is not built: {WebRoot}/index.html is missing (cd gateway/web && npm install && npm run build).";
        foreach (var file in dataFiles)
        {
            if (!File.Exists(file)) return $"Test data {file} is missing (../shared/data or HALFLIFE_SHARED_DATA).";
        }
        return null;
    }

    public static string Chromium =>
        Environment.GetEnvironmentVariable("HALFLIFE_CHROMIUM") is { Length: > 0 } configured ? configured : ChromiumPath;

    /// <summary>Fails under CI=true, skips elsewhere.</summary>
    public static void Require(params string[] dataFiles)
    {
        if (Missing(dataFiles) is not { } reason) return;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail(reason);
        Assert.Skip(reason);
    }
}
