using Halflife.Dicom.Tests.Oracle;

namespace Halflife.Dicom.Tests;

/// <summary>Native-syntax corpus files rewritten in another native transfer syntax keep every element.</summary>
public class TranscodingTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        string[] targets =
        [
            DicomTransferSyntax.ExplicitVRLittleEndian.UID.UID,
            DicomTransferSyntax.ExplicitVRBigEndian.UID.UID,
            DicomTransferSyntax.DeflatedExplicitVRLittleEndian.UID.UID,
        ];
        foreach (var name in new[] { "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "CT_small.dcm", "rtdose.dcm", "image_dfl.dcm", "DICOMDIR", "Issue1097_FailToOpenDeflatedFileWithSQ.dcm", "chrH31.dcm", "SC_rgb_small_odd_big_endian.dcm", "emri_small.dcm" })
            foreach (var t in targets) data.Add(name, t);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rewriting_in_another_native_syntax_keeps_elements(string name, string targetUid)
    {
        TestData.RequireCorpus();
        var original = DicomFile.Open(TestData.Dicom(name));
        var target = DicomTransferSyntax.Parse(targetUid);
        original.FileMetaInfo.TransferSyntax = target;
        using var ms = new MemoryStream();
        original.Save(ms);
        ms.Position = 0;
        var back = DicomFile.Open(ms);

        Assert.Equal(target, back.FileMetaInfo.TransferSyntax);
        var diffs = DatasetJson.Compare(DatasetJson.Of(original.Dataset), DatasetJson.Of(back.Dataset));
        Assert.True(diffs.Count == 0, $"{name} -> {target.UID.Name}:\n" + string.Join("\n", diffs.Take(20)));
    }

    [Fact]
    public void Encapsulated_pixel_data_is_not_written_in_a_native_syntax()
    {
        TestData.RequireCorpus();
        var file = DicomFile.Open(TestData.Dicom("MR_small_RLE.dcm"));
        file.FileMetaInfo.TransferSyntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        Assert.Throws<DicomDataException>(() => file.Save(new MemoryStream()));
    }

    [Fact]
    public void Encapsulated_fragments_are_written_back_byte_for_byte()
    {
        TestData.RequireCorpus();
        var file = DicomFile.Open(TestData.Dicom("D_CLUNIE_CT1_RLE_FRAGS.dcm"));
        var before = file.Dataset.GetDicomItem<DicomFragmentSequence>(DicomTag.PixelData)!;
        using var ms = new MemoryStream();
        file.Save(ms);
        ms.Position = 0;
        var after = DicomFile.Open(ms).Dataset.GetDicomItem<DicomFragmentSequence>(DicomTag.PixelData)!;
        Assert.True(before.Fragments.Count > 1);
        Assert.Equal(before.BasicOffsetTable, after.BasicOffsetTable);
        Assert.Equal(before.Fragments.Count, after.Fragments.Count);
        for (var i = 0; i < before.Fragments.Count; i++) Assert.Equal(before.Fragments[i], after.Fragments[i]);
    }
}
