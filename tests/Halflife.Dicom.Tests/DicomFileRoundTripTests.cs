namespace Halflife.Dicom.Tests;

public class DicomFileRoundTripTests
{
    public static TheoryData<string> NativeSyntaxes() => new()
    {
        DicomTransferSyntax.ExplicitVRLittleEndian.UID.UID,
        DicomTransferSyntax.ImplicitVRLittleEndian.UID.UID,
        DicomTransferSyntax.ExplicitVRBigEndian.UID.UID,
        DicomTransferSyntax.DeflatedExplicitVRLittleEndian.UID.UID,
    };

    [Theory]
    [MemberData(nameof(NativeSyntaxes))]
    public void A_new_data_set_survives_Save_and_Open(string syntaxUid)
    {
        var syntax = DicomTransferSyntax.Parse(syntaxUid);
        var sop = DicomUID.Generate().UID;
        var ds = new DicomDataset(syntax)
            .AddOrUpdate(DicomTag.SOPClassUID, DicomUID.NuclearMedicineImageStorage.UID)
            .AddOrUpdate(DicomTag.SOPInstanceUID, sop)
            .AddOrUpdate(DicomTag.PatientID, "P-001")
            .AddOrUpdate(DicomTag.PatientName, "Doe^Jane")
            .AddOrUpdate(DicomTag.Rows, (ushort)2)
            .AddOrUpdate(DicomTag.Columns, (ushort)2)
            .AddOrUpdate(DicomTag.SmallestImagePixelValue, (short)-3)
            .AddOrUpdate(DicomVR.OW, DicomTag.PixelData, (ushort)1, (ushort)2, (ushort)300, (ushort)65535)
            .AddOrUpdate(new DicomSequence(DicomTag.ReferencedImageSequence,
                new DicomDataset().AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, "1.2.3")));

        using var ms = new MemoryStream();
        new DicomFile(ds).Save(ms);
        ms.Position = 0;
        var back = DicomFile.Open(ms);

        Assert.Equal(syntax, back.FileMetaInfo.TransferSyntax);
        Assert.Equal(sop, back.FileMetaInfo.MediaStorageSOPInstanceUID);
        Assert.Equal(sop, back.Dataset.GetString(DicomTag.SOPInstanceUID));
        Assert.Equal("P-001", back.Dataset.GetString(DicomTag.PatientID));
        Assert.Equal("Doe^Jane", back.Dataset.GetString(DicomTag.PatientName));
        Assert.Equal((ushort)2, back.Dataset.GetSingleValue<ushort>(DicomTag.Rows));
        Assert.Equal([1, 2, 300, 65535], back.Dataset.GetValues<ushort>(DicomTag.PixelData).Select(v => (int)v));
        Assert.Equal("1.2.3", back.Dataset.GetSequence(DicomTag.ReferencedImageSequence).Items[0].GetString(DicomTag.ReferencedSOPInstanceUID));
    }

    [Fact]
    public void Reading_can_stop_before_pixel_data()
    {
        TestData.RequireCorpus();
        var full = DicomFile.Open(TestData.Dicom("CT_small.dcm"));
        var head = DicomFile.Open(TestData.Dicom("CT_small.dcm"), DicomReadOptions.StopAtPixelData);
        Assert.True(full.Dataset.Contains(DicomTag.PixelData));
        Assert.False(head.Dataset.Contains(DicomTag.PixelData));
        Assert.True(head.IsPartial);
        Assert.Equal(full.Dataset.GetString(DicomTag.SOPInstanceUID), head.Dataset.GetString(DicomTag.SOPInstanceUID));
        Assert.Throws<DicomDataException>(() => head.Save(new MemoryStream()));
    }

    [Theory]
    [InlineData("no_meta.dcm", false)]
    [InlineData("CR-MONO1-10-chest", true)]
    [InlineData("ExplVR_BigEndNoMeta.dcm", true)]
    [InlineData("MR_small_implicit.dcm", true)]
    public void Files_without_meta_report_the_detected_syntax_and_gain_meta_when_saved(string name, bool readable)
    {
        TestData.RequireCorpus();
        if (!readable)
        {
            Assert.Throws<DicomFileException>(() => DicomFile.Open(TestData.Dicom(name)));
            return;
        }
        var file = DicomFile.Open(TestData.Dicom(name));
        var syntax = file.FileMetaInfo.TransferSyntax;
        Assert.Equal(file.Dataset.InternalTransferSyntax, syntax);
        using var ms = new MemoryStream();
        file.Save(ms);
        ms.Position = 0;
        var back = DicomFile.Open(ms);
        Assert.True(back.FileMetaInfo.HasTransferSyntax);
        Assert.Equal(syntax, back.FileMetaInfo.TransferSyntax);
        if (file.Dataset.TryGetString(DicomTag.SOPInstanceUID, out var sop))
            Assert.Equal(sop, back.FileMetaInfo.MediaStorageSOPInstanceUID);
    }

    [Fact]
    public void Big_endian_bare_data_set_is_detected_as_big_endian()
    {
        TestData.RequireCorpus();
        var file = DicomFile.Open(TestData.Dicom("ExplVR_BigEndNoMeta.dcm"));
        Assert.Equal(DicomTransferSyntax.ExplicitVRBigEndian, file.FileMetaInfo.TransferSyntax);
    }

    [Fact]
    public async Task OpenAsync_and_SaveAsync_work_with_paths_and_forward_only_streams()
    {
        TestData.RequireCorpus();
        var fromPath = await DicomFile.OpenAsync(TestData.Dicom("MR_small.dcm"));
        var bytes = await File.ReadAllBytesAsync(TestData.Dicom("MR_small.dcm"), TestContext.Current.CancellationToken);
        await using var pipe = new BufferedStream(new System.IO.Compression.GZipStream(
            new MemoryStream(Compress(bytes)), System.IO.Compression.CompressionMode.Decompress));
        var fromStream = await DicomFile.OpenAsync(pipe);
        Assert.Equal(fromPath.Dataset.GetString(DicomTag.SOPInstanceUID), fromStream.Dataset.GetString(DicomTag.SOPInstanceUID));

        var path = Path.Combine(Path.GetTempPath(), $"halflife-async-{Guid.NewGuid():N}.dcm");
        try
        {
            await fromStream.SaveAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(fromPath.Dataset.Count, DicomFile.Open(path).Dataset.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static byte[] Compress(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(ms, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            gz.Write(data);
        return ms.ToArray();
    }
}
