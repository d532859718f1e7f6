namespace Halflife.Dicom.Tests;

/// <summary>Locates the shared, read-only test corpus (never copied into the repository).</summary>
internal static class TestData
{
    public static string SharedDataRoot
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("HALFLIFE_SHARED_DATA");
            if (!string.IsNullOrEmpty(env)) return env;
            return Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));
        }
    }

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Microservices.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Repository root (Microservices.sln) not found above " + AppContext.BaseDirectory);
        }
    }

    public static string DicomFolder => Path.Combine(SharedDataRoot, "dicom");

    public static string Dicom(string name) => Path.Combine(DicomFolder, name);

    public static bool IsCI => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips locally, fails on CI, when something a test needs is not installed.</summary>
    public static void Require(bool available, string what)
    {
        if (available) return;
        if (IsCI) Assert.Fail($"{what} is required on CI but missing.");
        Assert.Skip($"{what} is not available here.");
    }

    public static void RequireCorpus() => Require(Directory.Exists(DicomFolder), $"The DICOM test corpus at {DicomFolder}");

    /// <summary>All corpus files, for theories over the whole corpus.</summary>
    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        var folder = Path.Combine(SharedDataRoot, "dicom");
        if (Directory.Exists(folder))
            foreach (var f in Directory.GetFiles(folder).Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(f));
        return data;
    }
}
