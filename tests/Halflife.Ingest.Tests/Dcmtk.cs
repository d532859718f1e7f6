using System.Diagnostics;
using Halflife.Testing;

namespace Halflife.Ingest.Tests;

/// <summary>Runs DCMTK command-line tools (Debian package dcmtk) as real peers.</summary>
public static class Dcmtk
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] arguments)
    {
        var path = Path.Combine("/usr/bin", tool);
        if (!File.Exists(path)) TestServers.Unavailable($"DCMTK {tool}");
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
