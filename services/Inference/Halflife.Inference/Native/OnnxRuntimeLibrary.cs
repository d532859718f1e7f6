using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Halflife.Inference.Native;

/// <summary>
/// Finds libonnxruntime for this assembly's P/Invokes. Order: <see cref="PathVariable"/> (a file or a folder; how
/// GPU images select the CUDA build), beside the application (where the build copies it), the repository's
/// <c>.native/</c> folder (a fresh checkout after the first build), then the operating system's own search.
/// </summary>
public static class OnnxRuntimeLibrary
{
    /// <summary>Environment variable naming the library file, or a folder that holds it.</summary>
    public const string PathVariable = "HALFLIFE_ONNXRUNTIME_PATH";

    /// <summary>The name the P/Invokes use; the resolver maps it to a file.</summary>
    internal const string LibraryName = "onnxruntime";

    /// <summary>The version the build fetches; the folder name under <c>.native/onnxruntime/</c>.</summary>
    public const string BundledVersion = "1.30.0";

    private static readonly string[] FileNames = OperatingSystem.IsWindows() ? ["onnxruntime.dll"]
        : OperatingSystem.IsMacOS() ? ["libonnxruntime.dylib"]
        : ["libonnxruntime.so.1", "libonnxruntime.so"];

    /// <summary>The file the library was loaded from, or a note that the operating system's search found it.</summary>
    public static string? LoadedFrom { get; private set; }

#pragma warning disable CA2255 // A module initializer is the one place that runs before any P/Invoke in this assembly.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() =>
        NativeLibrary.SetDllImportResolver(typeof(OnnxRuntimeLibrary).Assembly, Resolve);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName)
        {
            return IntPtr.Zero;
        }

        foreach (var candidate in Candidates())
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
            {
                LoadedFrom = candidate;
                return handle;
            }
        }

        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured)
        {
            // An explicit setting that does not work must not silently fall back to some other build.
            throw new DllNotFoundException(
                $"{PathVariable}='{configured}' does not name a loadable ONNX Runtime library ({string.Join(", ", FileNames)}).");
        }

        LoadedFrom = "(operating system search)";
        return IntPtr.Zero;
    }

    /// <summary>Every path tried, in order; exposed for diagnostics and error messages.</summary>
    public static IEnumerable<string> Candidates()
    {
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured)
        {
            if (Directory.Exists(configured))
            {
                foreach (var file in FileNames)
                {
                    yield return Path.Combine(configured, file);
                }
            }
            else
            {
                yield return configured;
            }

            yield break;
        }

        foreach (var file in FileNames)
        {
            yield return Path.Combine(AppContext.BaseDirectory, file);
        }

        var rid = $"{(OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "osx" : "win")}-{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}";
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var native = Path.Combine(folder.FullName, ".native", "onnxruntime", BundledVersion, rid);
            if (Directory.Exists(native))
            {
                foreach (var file in FileNames)
                {
                    yield return Path.Combine(native, file);
                }

                yield break;
            }
        }
    }
}
