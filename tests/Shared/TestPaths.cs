namespace Halflife.Testing;

/// <summary>Where the repository and the shared third-party test data are (read in place, never copied).</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>../shared/data beside the repository, or HALFLIFE_SHARED_DATA.</summary>
    public static string SharedData { get; } =
        Environment.GetEnvironmentVariable("HALFLIFE_SHARED_DATA") is { Length: > 0 } configured
            ? configured
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

    public static string Data(params string[] parts) => Path.Combine([SharedData, .. parts]);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Microservices.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Cannot find the repository root (Microservices.sln) above " + AppContext.BaseDirectory);
    }
}
