namespace Halflife.Dicom.Tests;

public class DicomDatasetTests
{
    [Fact]
    public void AddOrUpdate_then_GetString_returns_value_without_padding()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTag.PatientID, "ABC").AddOrUpdate(DicomTag.Modality, "NM");
        Assert.Equal("ABC", ds.GetString(DicomTag.PatientID));
        ds.AddOrUpdate(DicomTag.PatientID, "XYZ1");
        Assert.Equal("XYZ1", ds.GetString(DicomTag.PatientID));
        Assert.True(ds.TryGetString(DicomTag.Modality, out var modality));
        Assert.Equal("NM", modality);
        Assert.False(ds.TryGetString(DicomTag.StudyInstanceUID, out _));
        Assert.Throws<DicomDataException>(() => ds.GetString(DicomTag.StudyInstanceUID));
    }

    [Fact]
    public void Typed_values_round_trip_through_their_VR()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTag.Rows, (ushort)256)
            .AddOrUpdate(DicomTag.PixelSpacing, 0.5, 1.25)
            .AddOrUpdate(DicomTag.ImagePositionPatient, -1.5, 2.0, 3.0)
            .AddOrUpdate(DicomTag.NumberOfFrames, 2);
        Assert.Equal((ushort)256, ds.GetSingleValue<ushort>(DicomTag.Rows));
        Assert.Equal(256, ds.GetSingleValue<int>(DicomTag.Rows));
        Assert.Equal([0.5, 1.25], ds.GetValues<double>(DicomTag.PixelSpacing));
        Assert.Equal("0.5\\1.25", ds.GetString(DicomTag.PixelSpacing));
        Assert.Equal(-1.5, ds.GetValue<double>(DicomTag.ImagePositionPatient, 0));
        Assert.Equal(2, ds.GetSingleValue<int>(DicomTag.NumberOfFrames));
        Assert.Equal("256", ds.GetString(DicomTag.Rows));
        Assert.Equal(7, ds.GetSingleValueOrDefault(DicomTag.Columns, 7));
        Assert.Throws<DicomDataException>(() => ds.GetSingleValue<double>(DicomTag.PixelSpacing));
    }

    [Fact]
    public void Enumeration_is_in_tag_order_and_Remove_and_Clone_are_independent()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTag.SOPInstanceUID, "1.2.3")
            .AddOrUpdate(DicomTag.PatientName, "Doe^John")
            .AddOrUpdate(DicomTag.Modality, "CT");
        Assert.Equal([DicomTag.SOPInstanceUID, DicomTag.Modality, DicomTag.PatientName], ds.Select(i => i.Tag));

        var clone = ds.Clone();
        clone.Remove(DicomTag.Modality);
        Assert.True(ds.Contains(DicomTag.Modality));
        Assert.False(clone.Contains(DicomTag.Modality));
        Assert.Throws<DicomDataException>(() => ds.Add(DicomTag.Modality, "MR"));
    }

    [Fact]
    public void Sequences_hold_item_data_sets()
    {
        var item = new DicomDataset().AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, "1.2.3.4");
        var ds = new DicomDataset().AddOrUpdate(new DicomSequence(DicomTag.ReferencedImageSequence, item));
        var seq = ds.GetSequence(DicomTag.ReferencedImageSequence);
        Assert.Single(seq.Items);
        Assert.Equal("1.2.3.4", seq.Items[0].GetString(DicomTag.ReferencedSOPInstanceUID));
        Assert.Throws<DicomDataException>(() => ds.GetSequence(DicomTag.PatientName));
    }

    [Fact]
    public void Generated_UIDs_are_valid_unique_and_under_2_25()
    {
        var a = DicomUID.Generate().UID;
        var b = DicomUID.Generate().UID;
        Assert.NotEqual(a, b);
        Assert.StartsWith("2.25.", a);
        Assert.True(DicomUID.IsValid(a), a);
        Assert.True(a.Length <= 64);
        Assert.Equal("2.25.0", DicomUID.FromGuid(Guid.Empty));
    }

    [Fact]
    public void Tags_and_dictionary_come_from_PS3_6()
    {
        Assert.Equal(new DicomTag(0x0008, 0x0018), DicomTag.SOPInstanceUID);
        Assert.Equal(new DicomTag(0x7FE0, 0x0010), DicomTag.PixelData);
        Assert.Equal(new DicomTag(0x0002, 0x0010), DicomTag.TransferSyntaxUID);
        Assert.Equal("(0010,0010)", DicomTag.PatientName.ToString());
        Assert.Equal(DicomTag.PatientName, DicomTag.Parse("PatientName"));
        Assert.Equal(DicomTag.PatientName, DicomTag.Parse("(0010,0010)"));
        Assert.Equal("Patient's Name", DicomTag.PatientName.DictionaryEntry.Name);
        Assert.Equal(DicomVR.PN, DicomTag.PatientName.DictionaryEntry.ValueRepresentations[0]);
        // Repeating group (60xx,3000) Overlay Data resolves through its mask.
        Assert.Equal("OverlayData", DicomDictionary.Default[new DicomTag(0x6002, 0x3000)].Keyword);
        Assert.True(DicomDictionary.Default.Count > 4000);
        Assert.Equal("CT Image Storage", DicomUID.Parse("1.2.840.10008.5.1.4.1.1.2").Name);
        Assert.True(DicomTransferSyntax.Parse("1.2.840.10008.1.2.5").IsEncapsulated);
        Assert.False(DicomTransferSyntax.Parse("1.2.840.10008.1.2").IsExplicitVR);
    }
}
