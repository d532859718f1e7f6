using System.Net;
using Halflife.Dicom.Network.Tests.Infrastructure;

namespace Halflife.Dicom.Network.Tests;

/// <summary>A private Orthanc on loopback as the peer: our SCU stores to it, and it pushes to our SCP.</summary>
[Trait("Category", "Slow")]
public sealed class OrthancInteropTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Our_scu_stores_to_orthanc_and_its_rest_api_returns_the_same_data_sets()
    {
        var orthancBinary = TestEnvironment.RequireTool("Orthanc");
        var dcmdump = TestEnvironment.RequireTool("dcmdump");
        var files = await Part10Files.ReadableByDcmtkAsync(dcmdump, Ct);
        await using var orthanc = await OrthancServer.StartAsync(orthancBinary, [], Ct);

        var client = new DicomClient("127.0.0.1", orthanc.DicomPort, "HALFLIFE", orthanc.AeTitle).AddRequest(new DicomCEchoRequest());
        foreach (var (path, _) in files)
        {
            client.AddRequest(DicomCStoreRequest.FromFile(path));
        }
        var responses = await client.SendAsync(Ct);

        Assert.Equal(DicomStatus.Success, responses[0].Status);
        var outcomes = files.Zip(responses.Skip(1)).ToList();
        // Orthanc accepts every presentation context (no local 0122) but judges content: it answers A700/A900/C000 for
        // a few test files (conflicting UIDs, lossy JPEG-LS it will not index, ...). Those are its verdicts.
        Assert.DoesNotContain(outcomes, o => o.Second.Status.Code == 0x0122);
        var stored = outcomes.Where(o => o.Second.Status.State == DicomStatusState.Success).Select(o => o.First).ToList();
        Assert.True(stored.Count >= files.Count * 2 / 3, string.Join("\n", outcomes.Select(o => $"{Path.GetFileName(o.First.Path)}: {o.Second.Status}")));

        var identical = 0;
        var scratch = TestEnvironment.CreateTempDirectory("halflife-orthanc-check");
        try
        {
            // Several test files share a SOP Instance UID; Orthanc keeps the last one (OverwriteInstances).
            foreach (var (path, info) in stored.GroupBy(f => f.Info.SopInstanceUid).Select(g => g.Last()))
            {
                var id = await orthanc.FindInstanceAsync(info.SopInstanceUid, Ct);
                Assert.True(id is not null, $"Orthanc has no instance {info.SopInstanceUid} ({Path.GetFileName(path)})");
                var downloaded = Path.Combine(scratch, $"{id}.dcm");
                await File.WriteAllBytesAsync(downloaded, await orthanc.DownloadAsync(id!, Ct), Ct);
                var original = Part10Files.DataSetOf(path);
                if (Part10Files.DataSetOf(downloaded).AsSpan().SequenceEqual(original.Length % 2 == 0 ? original : [.. original, 0]))
                {
                    identical++;
                    continue;
                }
                // Orthanc writes received instances through DCMTK, which may drop trailing padding: compare attributes.
                var differences = await DcmdumpComparer.DifferencesAsync(dcmdump, path, downloaded);
                Assert.True(differences.Count == 0, $"{Path.GetFileName(path)}: {string.Join("; ", differences.Take(3))}");
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
        Assert.True(identical > 0, "no instance came back byte-identical");
    }

    [Fact]
    public async Task Orthanc_pushes_instances_to_our_scp()
    {
        var orthancBinary = TestEnvironment.RequireTool("Orthanc");
        var dcmdump = TestEnvironment.RequireTool("dcmdump");
        var files = (await Part10Files.ReadableByDcmtkAsync(dcmdump, Ct))
            .GroupBy(f => f.Info.SopInstanceUid).Select(g => g.First()).ToList();
        var handler = new RecordingStoreHandler();
        await using var server = DicomServer.Start(IPAddress.Loopback, 0, handler,
            new DicomServerOptions { AeTitle = "HALFLIFE_TEST", AllowedCallingAeTitles = ["ORTHANC_TEST"] });
        await using var orthanc = await OrthancServer.StartAsync(orthancBinary, [("halflife", "HALFLIFE_TEST", server.Port)], Ct);
        var ids = new Dictionary<string, string>();
        foreach (var (path, info) in files)
        {
            if (await orthanc.TryUploadAsync(path, Ct) is { } id)
            {
                ids[id] = path;
            }
        }
        Assert.True(ids.Count >= files.Count * 2 / 3, $"Orthanc took only {ids.Count} of {files.Count} uploads");
        files = files.Where(f => ids.ContainsValue(f.Path)).ToList();

        await orthanc.StoreToModalityAsync("halflife", ids.Keys, Ct);

        var received = handler.Stores.ToDictionary(s => s.SopInstanceUid);
        Assert.Equal(files.Count, received.Count);
        Assert.All(handler.Stores, s => Assert.Equal("ORTHANC_TEST", s.CallingAe));
        var scratch = TestEnvironment.CreateTempDirectory("halflife-orthanc-push");
        try
        {
            // Test files whose meta SOP Instance UID differs from their data set's (GH1146, among others) arrive under the latter.
            var comparable = files.Where(f => received.ContainsKey(f.Info.SopInstanceUid)).ToList();
            Assert.True(comparable.Count >= files.Count - 3, $"only {comparable.Count} of {files.Count} matched by SOP Instance UID");
            foreach (var (path, info) in comparable)
            {
                var store = received[info.SopInstanceUid];
                if (store.TransferSyntaxUid == info.TransferSyntaxUid && Part10Files.DataSetOf(path).AsSpan().SequenceEqual(store.DataSet))
                {
                    continue;
                }
                var copy = Path.Combine(scratch, $"{store.SopInstanceUid}.dcm");
                await File.WriteAllBytesAsync(copy, Part10Files.Wrap(store.SopClassUid, store.SopInstanceUid, store.TransferSyntaxUid, store.DataSet), Ct);
                var differences = await DcmdumpComparer.DifferencesAsync(dcmdump, path, copy);
                Assert.True(differences.Count == 0, $"{Path.GetFileName(path)} as {store.TransferSyntaxUid}: {string.Join("; ", differences.Take(3))}");
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
