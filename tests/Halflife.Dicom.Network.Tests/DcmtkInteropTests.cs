using System.Net;
using System.Text.RegularExpressions;
using Halflife.Dicom.Network.Tests.Infrastructure;

namespace Halflife.Dicom.Network.Tests;

/// <summary>DCMTK's echoscu/storescu against our SCP, and our SCU against DCMTK's storescp, all on loopback.</summary>
[Trait("Category", "Slow")]
public sealed partial class DcmtkInteropTests
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(3);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DicomServer StartServer(RecordingStoreHandler handler, Action<DicomServerOptions>? configure = null)
    {
        var options = new DicomServerOptions { AeTitle = "HALFLIFE_TEST", MaxPduLength = 32768 };
        configure?.Invoke(options);
        return DicomServer.Start(IPAddress.Loopback, 0, handler, options);
    }

    [Fact]
    public async Task Echoscu_gets_success()
    {
        var echoscu = TestEnvironment.RequireTool("echoscu");
        var handler = new RecordingStoreHandler();
        await using var server = StartServer(handler);

        var result = await ExternalProcess.RunAsync(echoscu,
            ["-aet", "ECHOER", "-aec", "HALFLIFE_TEST", "--repeat", "3", "127.0.0.1", server.Port.ToString()], ToolTimeout, Ct);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(3, handler.Echoes);
    }

    [Fact]
    public async Task Echoscu_with_the_wrong_called_ae_is_rejected()
    {
        var echoscu = TestEnvironment.RequireTool("echoscu");
        var handler = new RecordingStoreHandler();
        await using var server = StartServer(handler);

        var result = await ExternalProcess.RunAsync(echoscu, ["-aec", "NOT_US", "127.0.0.1", server.Port.ToString()], ToolTimeout, Ct);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Called AE Title Not Recognized", result.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, handler.Echoes);
    }

    /// <summary>
    /// storescu sends every file it can read in one association with the given transfer syntax proposal. Each received
    /// data set must equal the source: byte for byte when sent in the file's own syntax, else attribute by attribute.
    /// </summary>
    [Theory]
    [InlineData("-R")]
    [InlineData("-xe")]
    [InlineData("-xi")]
    [InlineData("-xb")]
    [InlineData("-xs")]
    [InlineData("-xd")]
    [InlineData("-xe --max-pdu 4096 --max-send-pdu 4096")]
    public async Task Storescu_sends_every_file_it_accepts(string proposal)
    {
        var storescu = TestEnvironment.RequireTool("storescu");
        var dcmdump = TestEnvironment.RequireTool("dcmdump");
        var files = Directory.GetFiles(TestEnvironment.DicomDirectory).Order(StringComparer.Ordinal).ToList();
        var handler = new RecordingStoreHandler();
        await using var server = StartServer(handler);

        var result = await ExternalProcess.RunAsync(storescu,
            ["-v", "-nh", .. proposal.Split(' '), "-aet", "STORESCU", "-aec", "HALFLIFE_TEST", "127.0.0.1", server.Port.ToString(), .. files],
            ToolTimeout, Ct);

        var sent = SentFiles(result.Output);
        Assert.True(sent.Count >= 10, $"storescu sent only {sent.Count} files:\n{result.Output}");
        var received = handler.Stores.ToList();
        Assert.Equal(sent.Count, received.Count);

        var identical = 0;
        var failures = new List<string>();
        var scratch = TestEnvironment.CreateTempDirectory("halflife-storescu");
        try
        {
            for (var i = 0; i < sent.Count; i++)
            {
                var (file, store) = (sent[i], received[i]);
                var original = TryMeta(file);
                if (original is not null && original.TransferSyntaxUid == store.TransferSyntaxUid
                    && Part10Files.DataSetOf(file).AsSpan().SequenceEqual(store.DataSet))
                {
                    identical++;
                    continue;
                }
                var copy = Path.Combine(scratch, $"{i}.dcm");
                await File.WriteAllBytesAsync(copy, Part10Files.Wrap(store.SopClassUid, store.SopInstanceUid, store.TransferSyntaxUid, store.DataSet), Ct);
                var differences = await DcmdumpComparer.DifferencesAsync(dcmdump, file, copy);
                if (differences.Count > 0)
                {
                    failures.Add($"{Path.GetFileName(file)} as {store.TransferSyntaxUid}: {string.Join("; ", differences.Take(3))}");
                }
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        if (proposal == "-R")
        {
            // Proposing only each file's own syntax means no conversion: most data sets arrive byte-identical.
            Assert.True(identical >= sent.Count / 2, $"only {identical} of {sent.Count} byte-identical");
        }
    }

    [Fact]
    public async Task Several_storescu_associations_at_once_with_a_user_identity()
    {
        var storescu = TestEnvironment.RequireTool("storescu");
        var files = Part10Files.WithMeta(TestEnvironment.DicomDirectory)
            .Where(f => f.Info.TransferSyntaxUid == NetworkUids.ExplicitVrLittleEndian).Select(f => f.Path).ToList();
        var handler = new RecordingStoreHandler();
        await using var server = StartServer(handler, o => o.MaxAssociations = 4);

        var runs = Enumerable.Range(0, 4).Select(i => ExternalProcess.RunAsync(storescu,
            ["-v", "-nh", "-aet", $"SCU{i}", "-aec", "HALFLIFE_TEST", "-usr", "alice", "-pwd", "secret",
             "127.0.0.1", server.Port.ToString(), .. files], ToolTimeout, Ct)).ToList();
        var results = await Task.WhenAll(runs);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Output));
        var sent = results.Sum(r => SentFiles(r.Output).Count);
        Assert.True(sent >= 4 * (files.Count - 2), $"storescu sent {sent} of {4 * files.Count}");
        Assert.Equal(sent, handler.Stores.Count);
        Assert.Equal(4, handler.Stores.Select(s => s.CallingAe).Distinct().Count());
    }

    [Fact]
    public async Task Our_scu_stores_to_storescp_and_the_files_match()
    {
        var storescp = TestEnvironment.RequireTool("storescp");
        var output = TestEnvironment.CreateTempDirectory("halflife-storescp");
        var port = TestEnvironment.FreePort();
        var dcmdump = TestEnvironment.RequireTool("dcmdump");
        var files = await Part10Files.ReadableByDcmtkAsync(dcmdump, Ct);
        try
        {
            await using var scp = RunningProcess.Start(storescp, ["-v", "+xa", "-pm", "-aet", "DCMTK_SCP", "-od", output, "-uf", port.ToString()]);
            await WaitForListenerAsync(port);
            var client = new DicomClient("127.0.0.1", port, "HALFLIFE", "DCMTK_SCP").AddRequest(new DicomCEchoRequest());
            foreach (var (path, _) in files)
            {
                client.AddRequest(DicomCStoreRequest.FromFile(path));
            }

            IReadOnlyList<DicomResponse> responses;
            try
            {
                responses = await client.SendAsync(Ct);
            }
            catch (DicomNetworkException ex)
            {
                var sentOrder = string.Join(", ", files.Select((f, i) => $"{i + 2}={Path.GetFileName(f.Path)}"));
                throw new Xunit.Sdk.XunitException($"{ex.Message}\nmessage IDs: {sentOrder}\nstorescp log:\n{scp.Output}");
            }

            Assert.Equal(DicomStatus.Success, responses[0].Status);
            var outcomes = files.Zip(responses.Skip(1)).ToList();
            var failed = outcomes.Where(p => p.Second.Status != DicomStatus.Success).ToList();
            // storescp checks content too (A900 when the data set's SOP class differs from the command's, C000 when it
            // cannot parse a value); those are its verdicts on the files, not transport failures. Every context must
            // have been accepted (no local 0122) and nearly all files stored.
            Assert.DoesNotContain(outcomes, o => o.Second.Status.Code == 0x0122);
            Assert.True(failed.Count <= 3, string.Join("\n", failed.Select(f => $"{Path.GetFileName(f.First.Path)}: {f.Second.Status}")));
            // storescp names files by SOP instance UID (-uf); several test files share one UID, so compare the last sent.
            var identical = 0;
            var stored = outcomes.Where(o => o.Second.Status == DicomStatus.Success).Select(o => o.First);
            foreach (var (path, info) in stored.GroupBy(f => f.Info.SopInstanceUid).Select(g => g.Last()))
            {
                var received = Directory.GetFiles(output).Single(f => Path.GetFileName(f).Contains(info.SopInstanceUid));
                var original = Part10Files.DataSetOf(path);
                // An odd-length (deflated) data set travels with its PS3.5 A.5 padding byte.
                if (Part10Files.DataSetOf(received).AsSpan().SequenceEqual(original.Length % 2 == 0 ? original : [.. original, 0]))
                {
                    identical++;
                    continue;
                }
                // storescp parses and rewrites what it stores (it drops trailing padding, for one): compare attributes.
                var differences = await DcmdumpComparer.DifferencesAsync(dcmdump, path, received);
                Assert.True(differences.Count == 0, $"{Path.GetFileName(path)}: {string.Join("; ", differences.Take(3))}");
            }
            Assert.True(identical > 0, "no file arrived byte-identical");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>The peer process needs a moment to bind its port.</summary>
    internal static async Task WaitForListenerAsync(int port)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, Ct);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 150)
            {
                await Task.Delay(100, Ct);
            }
        }
    }

    private static Part10FileInfo? TryMeta(string path)
    {
        try
        {
            return Part10MetaReader.Read(path);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Files in the order storescu sent them, from its verbose log: a "Sending file" followed by a store response.</summary>
    private static List<string> SentFiles(string log)
    {
        var sent = new List<string>();
        string? current = null;
        foreach (var line in log.Split('\n'))
        {
            if (SendingFile().Match(line) is { Success: true } sending)
            {
                current = sending.Groups[1].Value.Trim();
            }
            else if (line.Contains("Received Store Response") && current is not null)
            {
                sent.Add(current);
                current = null;
            }
        }
        return sent;
    }

    [GeneratedRegex(@"Sending file: (.+)$")]
    private static partial Regex SendingFile();
}
