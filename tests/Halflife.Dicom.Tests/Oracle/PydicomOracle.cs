using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Halflife.Dicom.Tests.Oracle;

/// <summary>
/// Runs Debian's pydicom (through /usr/bin/python3 and pydicom_dump.py) once over the whole corpus and
/// keeps its JSON view of every file, as an independent reference for what the files contain.
/// </summary>
internal static class PydicomOracle
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<JsonObject?> Dump = new(RunDump);

    private static readonly Lazy<bool> Available = new(() => File.Exists(Python) && Probe());

    public static bool IsAvailable => Available.Value;

    private static bool Probe()
    {
        try
        {
            var (code, _, _) = Run(Python, ["-c", "import pydicom"], 30_000);
            return code == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public static void Require() => TestData.Require(IsAvailable, "pydicom (Debian package python3-pydicom, run with /usr/bin/python3)");

    /// <summary>pydicom's view of one corpus file: {"ok": true, "meta": [...], "dataset": [...]} or {"ok": false, "error": ...}.</summary>
    public static JsonObject Read(string path)
    {
        var dump = Dump.Value ?? throw new InvalidOperationException("pydicom dump failed");
        if (dump[path] is JsonObject cached) return cached;
        return (JsonObject)JsonNode.Parse(RunScript([path]))![path]!;
    }

    private static JsonObject? RunDump()
    {
        var files = Directory.GetFiles(TestData.DicomFolder).Order(StringComparer.Ordinal).ToList();
        return JsonNode.Parse(RunScript(files))?.AsObject();
    }

    public static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "Oracle", "pydicom_dump.py");

    private static string RunScript(IEnumerable<string> files)
    {
        var (code, stdout, stderr) = Run(Python, [ScriptPath, .. files], 300_000);
        if (code != 0) throw new InvalidOperationException($"pydicom_dump.py exited with {code}: {stderr}");
        return stdout;
    }

    public static (int Code, string Stdout, string Stderr) Run(string exe, IEnumerable<string> args, int timeoutMs)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{exe} did not finish in {timeoutMs} ms");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
