namespace Halflife.Inference.Tests.Support;

/// <summary>Locates shared test data and decides between skipping and failing when a tool is missing.</summary>
internal static class TestEnvironment
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string RepositoryRoot
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "Microservices.sln")))
                {
                    return folder.FullName;
                }
            }

            throw new InvalidOperationException("No folder above the test output contains Microservices.sln.");
        }
    }

    public static string SharedData =>
        Environment.GetEnvironmentVariable("HALFLIFE_SHARED_DATA") is { Length: > 0 } configured
            ? configured
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));

    /// <summary>Path of a shared data file; skips (or fails on CI) when it is absent.</summary>
    public static string RequireSharedFile(string relativePath)
    {
        var path = Path.Combine(SharedData, relativePath);
        if (!File.Exists(path))
        {
            Unavailable($"shared test data '{path}' is missing (set HALFLIFE_SHARED_DATA)");
        }

        return path;
    }

    /// <summary>Skips locally, fails on CI, where every prerequisite must be installed.</summary>
    public static void Unavailable(string reason)
    {
        if (IsCi)
        {
            Assert.Fail($"CI=true but {reason}.");
        }

        Assert.Skip(reason);
    }
}
