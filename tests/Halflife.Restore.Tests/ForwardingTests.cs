using System.Net.Http.Json;
using System.Net.Sockets;
using Halflife.Dicom.Network;
using Halflife.Dicom.Network.Tests.Infrastructure;
using Halflife.Restore.Api;
using Halflife.ServiceDefaults.Storage;

namespace Halflife.Restore.Tests;

/// <summary>
/// Restored instances go to a PACS by C-STORE with durable retries: DCMTK's storescp and Orthanc on loopback as the
/// PACS, one that is down at first, one that refuses associations, one that never comes up.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ForwardingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> Forwarding(int port, string calledAe, int maxAttempts = 30) => new()
    {
        ["Restore:Forwarding:Enabled"] = "true",
        ["Restore:Forwarding:Host"] = "127.0.0.1",
        ["Restore:Forwarding:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Restore:Forwarding:CalledAeTitle"] = calledAe,
        ["Restore:Forwarding:CallingAeTitle"] = "HALFLIFE_TEST",
        ["Restore:Forwarding:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Restore:Forwarding:InitialBackoff"] = "00:00:00.300",
        ["Restore:Forwarding:MaxBackoff"] = "00:00:01",
        ["Restore:Forwarding:Timeout"] = "00:00:10",
    };

    private static async Task<ForwardingDto> WaitForAsync(RestoreHost host, Guid derivedId, Func<ForwardingDto, bool> condition, string what) =>
        await RestoreHost.PollAsync(async () =>
        {
            var jobs = await host.Client.GetFromJsonAsync<List<ForwardingDto>>($"/api/restore/derived/{derivedId}/forwarding", Ct);
            return jobs?.FirstOrDefault(condition);
        }, TimeSpan.FromSeconds(90), what);

    /// <summary>The data set of a Part 10 file: what crossed the wire.</summary>
    private static byte[] DataSetOf(byte[] part10)
    {
        var info = Part10MetaReader.Read(new MemoryStream(part10));
        return part10[(int)info.DataSetOffset..];
    }

    private async Task<byte[]> StoredDataSetAsync(RestoreHost host, Derived.DerivedInstance derived)
    {
        await using var stream = await host.App.Services.GetRequiredService<IBlobStore>().OpenReadAsync(derived.BlobKey, cancellationToken: Ct);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, Ct);
        return DataSetOf(buffer.ToArray());
    }

    [Fact]
    public async Task A_pacs_that_is_down_at_first_gets_the_instance_once_it_comes_up()
    {
        var storescp = TestEnvironment.RequireTool("storescp");
        var port = TestEnvironment.FreePort();
        var output = TestEnvironment.CreateTempDirectory("halflife-restore-storescp");
        try
        {
            await using var host = await RestoreHost.StartAsync(Forwarding(port, "PACS"));
            var derived = await host.DerivedOfAsync(await host.ReceiveAsync(RestoreHost.NmFile, Ct), Ct);

            var failing = await WaitForAsync(host, derived.Id, j => j.Attempts >= 2, "two failed attempts while the PACS is down");
            Assert.Equal("Pending", failing.Status);
            Assert.NotNull(failing.LastError);

            await using var scp = RunningProcess.Start(storescp, ["+B", "-aet", "PACS", "-od", output, "-uf", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            var done = await WaitForAsync(host, derived.Id, j => j.Status != "Pending", "the forwarding to finish once storescp listens");
            Assert.True(done.Status == "Succeeded", $"{done.Status}: {done.LastError}\n{scp.Output}");
            Assert.Equal(0, done.LastStatusCode);
            Assert.True(done.Attempts >= 3);

            // storescp +B writes the data set exactly as it came over the wire: it must be exactly what we stored.
            var received = Directory.GetFiles(output).Single(f => Path.GetFileName(f).Contains(derived.DerivedSopInstanceUid, StringComparison.Ordinal));
            Assert.Equal(await StoredDataSetAsync(host, derived), DataSetOf(await File.ReadAllBytesAsync(received, Ct)));
            var forwarded = await RestoreHost.PollAsync(() => Task.FromResult(host.Events.Forwarded.FirstOrDefault()), TimeSpan.FromSeconds(30), "InstanceForwarded");
            Assert.Equal((derived.DerivedSopInstanceUid, "PACS", (ushort)0), (forwarded.SopInstanceUid, forwarded.DestinationAeTitle, forwarded.Status));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>
    /// Orthanc stores what it receives through DCMTK, which re-encodes sequences with explicit lengths (our writer uses
    /// undefined lengths), so the file it returns cannot be byte-identical as a whole: the pixel data must be, and
    /// every attribute must read the same in dcmdump.
    /// </summary>
    [Fact]
    public async Task Orthanc_receives_the_restored_instance_with_identical_pixels_and_attributes()
    {
        var binary = TestEnvironment.RequireTool("Orthanc");
        var dcmdump = TestEnvironment.RequireTool("dcmdump");
        await using var orthanc = await OrthancServer.StartAsync(binary, [], Ct);
        await using var host = await RestoreHost.StartAsync(Forwarding(orthanc.DicomPort, orthanc.AeTitle));
        var derived = await host.DerivedOfAsync(await host.ReceiveAsync(RestoreHost.NmFile, Ct), Ct);

        var done = await WaitForAsync(host, derived.Id, j => j.Status != "Pending", "the forwarding to Orthanc");
        Assert.True(done.Status == "Succeeded", $"{done.Status}: {done.LastError}\n{orthanc.Log}");
        var id = await orthanc.FindInstanceAsync(derived.DerivedSopInstanceUid, Ct);
        Assert.NotNull(id);
        var scratch = TestEnvironment.CreateTempDirectory("halflife-restore-orthanc");
        try
        {
            var ours = Path.Combine(scratch, "ours.dcm");
            var theirs = Path.Combine(scratch, "orthanc.dcm");
            await using (var stream = await host.App.Services.GetRequiredService<IBlobStore>().OpenReadAsync(derived.BlobKey, cancellationToken: Ct))
            await using (var file = File.Create(ours))
                await stream.CopyToAsync(file, Ct);
            await File.WriteAllBytesAsync(theirs, await orthanc.DownloadAsync(id!, Ct), Ct);

            var differences = await DcmdumpComparer.DifferencesAsync(dcmdump, ours, theirs);
            Assert.True(differences.Count == 0, string.Join("\n", differences));
            var (a, b) = (Halflife.Dicom.DicomFile.Open(ours).Dataset, Halflife.Dicom.DicomFile.Open(theirs).Dataset);
            var (pa, pb) = (Halflife.Dicom.Imaging.DicomPixelData.Create(a), Halflife.Dicom.Imaging.DicomPixelData.Create(b));
            Assert.Equal(pa.NumberOfFrames, pb.NumberOfFrames);
            for (var f = 0; f < pa.NumberOfFrames; f++) Assert.Equal(pa.GetFrameValues(f), pb.GetFrameValues(f));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public async Task A_pacs_that_refuses_the_association_fails_at_once_with_the_reason_recorded()
    {
        var storescp = TestEnvironment.RequireTool("storescp");
        var port = TestEnvironment.FreePort();
        await using var scp = RunningProcess.Start(storescp, ["--refuse", "-aet", "PACS", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await WaitForListenerAsync(port);
        await using var host = await RestoreHost.StartAsync(Forwarding(port, "PACS"));
        var derived = await host.DerivedOfAsync(await host.ReceiveAsync(RestoreHost.NmFile, Ct), Ct);

        var done = await WaitForAsync(host, derived.Id, j => j.Status != "Pending", "the refused forwarding to end");
        Assert.Equal(("Failed", 1), (done.Status, done.Attempts));
        Assert.Contains("rejected", done.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(done.CompletedAt);
    }

    [Fact]
    public async Task A_pacs_that_never_comes_up_fails_after_max_attempts_and_can_be_queued_again()
    {
        var port = TestEnvironment.FreePort();
        await using var host = await RestoreHost.StartAsync(Forwarding(port, "PACS", maxAttempts: 2));
        var derived = await host.DerivedOfAsync(await host.ReceiveAsync(RestoreHost.NmFile, Ct), Ct);

        var done = await WaitForAsync(host, derived.Id, j => j.Status != "Pending", "the forwarding to give up");
        Assert.Equal(("Failed", 2), (done.Status, done.Attempts));

        using var again = await host.Client.PostAsync($"/api/restore/derived/{derived.Id}/forward", null, Ct);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, again.StatusCode);
        var details = await host.Client.GetFromJsonAsync<DerivedInstanceDetailsDto>($"/api/restore/derived/{derived.Id}", Ct);
        Assert.Equal(2, details!.Forwarding.Count);
    }

    private static async Task WaitForListenerAsync(int port)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, Ct);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, Ct);
            }
        }
        throw new TimeoutException($"nothing listens on {port}");
    }
}
