using System.Diagnostics;
using Halflife.Testing;

namespace Halflife.Deployment.Tests.Infrastructure;

/// <summary>An external command-line tool the static checks use (kubectl, promtool), found on PATH or by variable.</summary>
public sealed record ToolResult(int ExitCode, string Output, string Error);

public static class Tool
{
    /// <summary>The path in <paramref name="variable"/> if set, else the first <paramref name="name"/> on PATH; null if none.</summary>
    public static string? Find(string name, string variable)
    {
        var configured = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(configured)) return File.Exists(configured) ? configured : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Fails under CI, skips elsewhere, when the tool is missing.</summary>
    public static string Require(string name, string variable, string package)
    {
        var path = Find(name, variable);
        if (path is null) TestServers.Unavailable($"{name} (Debian package {package}; or set {variable})");
        return path!;
    }

    public static ToolResult Run(string executable, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Repository.Root,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {executable}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} {string.Join(' ', start.ArgumentList)} did not finish in 60 s");
        }
        return new ToolResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
