using System.Net.Http.Json;
using Halflife.Contracts;
using Halflife.Dicom;
using Halflife.Dicom.Network;
using Halflife.Testing;

namespace Halflife.Ingest.Tests;

/// <summary>Scanners push with C-STORE: DCMTK's storescu as the scanner, our DICOM client for the malformed cases.</summary>
public sealed class DicomReceiveTests
{
    // One file per SOP class: storescu -R proposes each file's own transfer syntax, and two files of one SOP class in
    // different syntaxes would share a presentation context (helper tests in Dicom.Network cover every syntax).
    private static readonly string[] Corpus = ["poumonsReins.dcm", "MR_small.dcm", "CT_small.dcm", "rtdose.dcm", "emri_small.dcm"];

    [Fact]
    public async Task Storescu_pushes_a_batch_in_one_association_and_every_instance_is_catalogued_byte_for_byte()
    {
        await using var ingest = await IngestHost.StartAsync();
        var files = Corpus.Select(f => TestPaths.Data("dicom", f)).ToArray();

        var (exit, output) = await Dcmtk.RunAsync("storescu", ["-aet", "SCANNER1", "-aec", "HALFLIFE", "-R", "127.0.0.1", ingest.DicomPort.ToString(), .. files]);
        Assert.True(exit == 0, output);

        foreach (var path in files)
        {
            var original = DicomFile.Open(path);
            var uid = original.Dataset.GetString(DicomTag.SOPInstanceUID);
            var received = await ingest.WaitForEventsAsync<InstanceReceived>(e => e.SopInstanceUid == uid);
            Assert.Single(received);
            var stored = DicomFile.Open(Path.Combine(ingest.BlobFolder, received[0].BlobKey));
            // storescu may change the transfer syntax it sends, never the content: pixel data and identity survive.
            Assert.Equal(uid, stored.Dataset.GetString(DicomTag.SOPInstanceUID));
            Assert.Equal(original.Dataset.GetString(DicomTag.StudyInstanceUID), stored.Dataset.GetString(DicomTag.StudyInstanceUID));
            Assert.Equal(PixelBytes(original), PixelBytes(stored));
            Assert.Equal("SCANNER1", stored.FileMetaInfo.SourceApplicationEntityTitle);
        }
        var studies = await ingest.Http.GetFromJsonAsync<PagedResult<StudySummary>>("/api/ingest/studies?pageSize=50", TestContext.Current.CancellationToken);
        Assert.Equal(files.Length, studies!.Items.Sum(s => s.InstanceCount));
    }

    [Fact]
    public async Task The_same_instance_twice_is_stored_once_and_announced_once()
    {
        await using var ingest = await IngestHost.StartAsync();
        var file = TestPaths.Data("dicom", "MR_small.dcm");
        var uid = DicomFile.Open(file).Dataset.GetString(DicomTag.SOPInstanceUID);

        for (var i = 0; i < 2; i++)
        {
            var (exit, output) = await Dcmtk.RunAsync("storescu", "-aet", "SCANNER1", "-aec", "HALFLIFE", "127.0.0.1", ingest.DicomPort.ToString(), file);
            Assert.True(exit == 0, output);
        }
        await ingest.WaitForEventsAsync<InstanceReceived>(e => e.SopInstanceUid == uid);
        await Task.Delay(1000, TestContext.Current.CancellationToken); // room for a second event, which must not come
        Assert.Single(ingest.EventsOf<InstanceReceived>(e => e.SopInstanceUid == uid));
        var blobs = Directory.GetFiles(Path.Combine(ingest.BlobFolder, "ingest"), "*.dcm", SearchOption.AllDirectories);
        Assert.Single(blobs);
    }

    [Fact]
    public async Task A_calling_ae_title_outside_the_allow_list_is_rejected_and_nothing_is_stored()
    {
        await using var ingest = await IngestHost.StartAsync(new() { ["Ingest:Dicom:AllowedCallingAeTitles:0"] = "SCANNER1" });
        var (exit, output) = await Dcmtk.RunAsync("storescu", "-aet", "INTRUDER", "-aec", "HALFLIFE", "127.0.0.1", ingest.DicomPort.ToString(),
            TestPaths.Data("dicom", "CT_small.dcm"));
        Assert.NotEqual(0, exit);
        Assert.Contains("Association Rejected", output, StringComparison.OrdinalIgnoreCase);
        Assert.False(Directory.Exists(Path.Combine(ingest.BlobFolder, "ingest")));
    }

    [Fact]
    public async Task A_data_set_that_contradicts_its_command_gets_A900_and_garbage_gets_C000()
    {
        await using var ingest = await IngestHost.StartAsync();
        var source = DicomCStoreRequest.FromFile(TestPaths.Data("dicom", "MR_small.dcm"));
        var bytes = await File.ReadAllBytesAsync(TestPaths.Data("dicom", "MR_small.dcm"), TestContext.Current.CancellationToken);
        var dataSet = bytes.AsMemory(DataSetOffset(bytes));

        var mismatch = new DicomCStoreRequest(source.SopClassUid, "1.2.3.4.5.6.7.8.9", source.TransferSyntaxUid, dataSet);
        var garbage = new DicomCStoreRequest(source.SopClassUid, "1.2.3.4.5.6.7.8.10", source.TransferSyntaxUid, new byte[] { 0xFF, 0xFE, 0x01, 0x02, 0x00, 0x00 });
        var responses = await new DicomClient("127.0.0.1", ingest.DicomPort, "SCANNER1", "HALFLIFE")
            .AddRequest(mismatch).AddRequest(garbage).SendAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0xA900, responses[0].Status.Code);
        Assert.Equal(0xC000, responses[1].Status.Code);
        Assert.False(string.IsNullOrEmpty(responses[1].Status.ErrorComment));
    }

    [Fact]
    public async Task A_study_that_goes_quiet_is_announced_complete()
    {
        await using var ingest = await IngestHost.StartAsync(new() { ["Ingest:StudyQuietPeriod"] = "00:00:01" });
        var file = TestPaths.Data("dicom", "CT_small.dcm");
        var study = DicomFile.Open(file).Dataset.GetString(DicomTag.StudyInstanceUID);
        var (exit, output) = await Dcmtk.RunAsync("storescu", "-aet", "SCANNER1", "-aec", "HALFLIFE", "127.0.0.1", ingest.DicomPort.ToString(), file);
        Assert.True(exit == 0, output);

        var completed = Assert.Single(await ingest.WaitForEventsAsync<StudyCompleted>(e => e.StudyInstanceUid == study));
        Assert.Equal(1, completed.InstanceCount);
    }

    private static byte[] PixelBytes(DicomFile file)
    {
        var item = file.Dataset.FirstOrDefault(i => i.Tag == DicomTag.PixelData);
        return item switch
        {
            DicomElement e => e.Buffer.ToArray(),
            DicomFragmentSequence f => f.Fragments.SelectMany(x => x).ToArray(),
            _ => [],
        };
    }

    /// <summary>Offset of the data set after the preamble and file meta group.</summary>
    private static int DataSetOffset(byte[] part10)
    {
        var groupLength = BitConverter.ToUInt32(part10, 128 + 4 + 8);
        return 128 + 4 + 12 + (int)groupLength;
    }
}
