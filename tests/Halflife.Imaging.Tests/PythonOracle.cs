using System.Diagnostics;

namespace Halflife.Imaging.Tests;

/// <summary>
/// Runs Debian's python3-openslide (the reference implementation) as an independent oracle.
/// Always /usr/bin/python3: the python3 on PATH may be a different interpreter without Debian's packages.
/// </summary>
internal static class PythonOracle
{
    private const string Python = "/usr/bin/python3";
    private static readonly Lazy<bool> Available = new(() =>
        File.Exists(Python) && TryRun("import openslide, openslide.deepzoom, PIL", [], out _));

    public static string Run(string script, params string[] args)
    {
        if (!Available.Value)
        {
            External.Missing("Debian's /usr/bin/python3 with python3-openslide and python3-pil");
        }

        if (!TryRun(script, args, out var output))
        {
            throw new InvalidOperationException("Oracle script failed:\n" + output);
        }

        return output;
    }

    private static bool TryRun(string script, string[] args, out string output)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                output = "timed out";
                return false;
            }

            output = stdout.Result + stderr.Result;
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            output = e.Message;
            return false;
        }
    }
}
