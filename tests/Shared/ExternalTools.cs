using System.Diagnostics;

namespace Halflife.Testing;

/// <summary>Independent readers and checkers run as processes: pydicom (Debian's python), DCMTK's tools, scripts.</summary>
internal static class ExternalTools
{
    private const string Python = "/usr/bin/python3";

    public static (int ExitCode, string Output, string Error) Run(string file, params string[] arguments) =>
        RunIn(null, file, arguments);

    /// <summary>Runs a tool to its end (2 minutes at most) in <paramref name="workingDirectory"/> (null: the current one).</summary>
    public static (int ExitCode, string Output, string Error) RunIn(string? workingDirectory, string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Python writes its output in the locale's encoding unless told otherwise; the callers read UTF-8 (Korean names).
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} did not finish in 2 minutes");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    public static void RequirePydicom()
    {
        if (!File.Exists(Python) || Run(Python, "-c", "import pydicom, numpy").ExitCode != 0)
            TestServers.Unavailable("pydicom for /usr/bin/python3 (apt python3-pydicom python3-numpy)");
    }

    public static string Dcmdump()
    {
        var path = new[] { "/usr/bin/dcmdump", "/usr/local/bin/dcmdump" }.FirstOrDefault(File.Exists);
        if (path is null) TestServers.Unavailable("dcmdump (apt dcmtk)");
        return path!;
    }

    public static (int ExitCode, string Output, string Error) Pydicom(string script, params string[] arguments) =>
        Run(Python, ["-c", script, .. arguments]);
}
