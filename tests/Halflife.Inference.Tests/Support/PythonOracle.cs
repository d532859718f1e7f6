using System.Diagnostics;

namespace Halflife.Inference.Tests.Support;

/// <summary>Runs the scripts under Oracle/ with Debian's python3 (which has python3-onnx and python3-numpy).</summary>
internal static class PythonOracle
{
    private const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> MissingReason = new(Probe);

    public static void Require()
    {
        if (MissingReason.Value is { } reason)
        {
            TestEnvironment.Unavailable(reason);
        }
    }

    public static void RunScript(string script, params string[] arguments)
    {
        Require();
        var (exitCode, output) = Execute([Path.Combine(AppContext.BaseDirectory, "Oracle", script), .. arguments]);
        Assert.True(exitCode == 0, $"{script} failed ({exitCode}): {output}");
    }

    private static string? Probe()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is missing (apt-get install python3-onnx python3-numpy)";
        }

        var (exitCode, output) = Execute(["-c", "import onnx, numpy"]);
        return exitCode == 0 ? null : $"{Python} cannot import onnx and numpy (apt-get install python3-onnx python3-numpy): {output}";
    }

    private static (int ExitCode, string Output) Execute(string[] arguments)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out after 2 minutes");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
