using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Halflife.Testing;

namespace Halflife.Reporting.Tests.Service;

/// <summary>Independent checkers: DCMTK (dsrdump, dcmdump, storescp) and pydicom from Debian's python.</summary>
internal static class ExternalTools
{
    public const string Python = "/usr/bin/python3";

    public static string Require(string tool)
    {
        var path = new[] { "/usr/bin/" + tool, "/usr/local/bin/" + tool }.FirstOrDefault(File.Exists);
        if (path is null) TestServers.Unavailable($"{tool} (see tests/infra/packages/reporting.apt)");
        return path!;
    }

    public static void RequirePydicom()
    {
        if (!File.Exists(Python) || Run(Python, "-c", "import pydicom").ExitCode != 0)
            TestServers.Unavailable("pydicom for /usr/bin/python3 (apt python3-pydicom)");
    }

    public static (int ExitCode, string Output, string Error) Run(string file, params string[] arguments) =>
        Halflife.Testing.ExternalTools.Run(file, arguments);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>storescp on loopback writing into <paramref name="folder"/>; killed on dispose.</summary>
    public static async Task<Process> StartStorescpAsync(int port, string folder, string aeTitle)
    {
        var start = new ProcessStartInfo(Require("storescp")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-aet", aeTitle, "-od", folder, "-uf", "+xa", port.ToString() }) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return process;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        process.Kill();
        throw new InvalidOperationException("storescp did not start listening");
    }
}
