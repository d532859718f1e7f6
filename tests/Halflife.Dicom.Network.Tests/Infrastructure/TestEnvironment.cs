using System.Net;
using System.Net.Sockets;

namespace Halflife.Dicom.Network.Tests.Infrastructure;

/// <summary>Locates shared test data and external tools; missing tools fail under CI=true and skip elsewhere.</summary>
internal static class TestEnvironment
{
    public static string SharedDataDirectory
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("HALFLIFE_SHARED_DATA");
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return fromEnv;
            }
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Microservices.sln")))
                {
                    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
                }
            }
            throw new InvalidOperationException("Repository root (Microservices.sln) not found above " + AppContext.BaseDirectory);
        }
    }

    public static string DicomDirectory
    {
        get
        {
            var dir = Path.Combine(SharedDataDirectory, "dicom");
            RequireOrSkip(Directory.Exists(dir), $"shared DICOM test data not found at {dir}");
            return dir;
        }
    }

    public static string DicomFile(string name) => Path.Combine(DicomDirectory, name);

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Returns the full path of an executable on PATH (or given absolute), or skips/fails when missing.</summary>
    public static string RequireTool(string name)
    {
        var found = FindOnPath(name);
        RequireOrSkip(found is not null, $"'{name}' is not installed (Debian packages: see tests/infra/packages/dicom-network.apt)");
        return found!;
    }

    public static void RequireOrSkip(bool condition, string reason)
    {
        if (condition)
        {
            return;
        }
        if (IsCi)
        {
            Assert.Fail(reason + " - required because CI=true");
        }
        Assert.Skip(reason);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string CreateTempDirectory(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string? FindOnPath(string name)
    {
        if (Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : null;
        }
        var paths = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/bin", "/usr/sbin", "/usr/local/bin"]);
        return paths.Select(p => Path.Combine(p, name)).FirstOrDefault(File.Exists);
    }
}
