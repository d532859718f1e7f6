namespace Halflife.Imaging.Tests;

/// <summary>Locates the shared third-party test data (read in place, never copied into the repository).</summary>
internal static class TestData
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string Wsi(string name) => Path.Combine(Root.Value, "wsi", name);

    /// <summary>Skips (or fails on CI) when the data folder is missing.</summary>
    public static string RequireWsi(string name)
    {
        NativeLibraries.Require();
        var path = Wsi(name);
        if (!File.Exists(path))
        {
            External.Missing($"test slide {path}");
        }

        return path;
    }

    private static string FindRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("HALFLIFE_SHARED_DATA");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Microservices.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "shared-data-not-found");
    }
}

/// <summary>The Debian libraries the imaging library binds to (libopenslide0, libturbojpeg0).</summary>
internal static class NativeLibraries
{
    private static readonly Lazy<string?> MissingLibrary = new(() =>
        new[] { "libopenslide.so.0", "libturbojpeg.so.0" }.FirstOrDefault(name =>
        {
            if (!System.Runtime.InteropServices.NativeLibrary.TryLoad(name, out var handle))
            {
                return true;
            }

            System.Runtime.InteropServices.NativeLibrary.Free(handle);
            return false;
        }));

    public static void Require()
    {
        if (MissingLibrary.Value is { } missing)
        {
            External.Missing($"native library {missing}");
        }
    }
}

/// <summary>Policy for tests that need something outside the repository.</summary>
internal static class External
{
    public static void Missing(string what)
    {
        var message = $"{what} is not available; install it (see tests/infra/packages/imaging.apt) or set HALFLIFE_SHARED_DATA.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
    }
}
