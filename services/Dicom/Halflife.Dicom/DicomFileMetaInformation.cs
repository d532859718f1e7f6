namespace Halflife.Dicom;

/// <summary>The File Meta Information group (0002,eeee) of a Part 10 file (PS3.10 7.1).</summary>
public sealed class DicomFileMetaInformation : DicomDataset
{
    /// <summary>Identifies this library as the writer of a file (PS3.7 D.3.3.2).</summary>
    public static readonly DicomUID HalflifeImplementationClassUID =
        new("2.25.224937166124815207463727290372786339573", "Halflife DICOM", "");

    public const string HalflifeImplementationVersionName = "HALFLIFE_1";

    public DicomFileMetaInformation() { }

    /// <summary>Meta information for writing <paramref name="dataset"/>, from its SOP Class/Instance UIDs.</summary>
    public DicomFileMetaInformation(DicomDataset dataset)
    {
        Add<byte>(DicomVR.OB, DicomTag.FileMetaInformationVersion, 0x00, 0x01);
        if (dataset.TryGetString(DicomTag.SOPClassUID, out var sopClass))
            AddOrUpdate(DicomVR.UI, DicomTag.MediaStorageSOPClassUID, sopClass);
        if (dataset.TryGetString(DicomTag.SOPInstanceUID, out var sopInstance))
            AddOrUpdate(DicomVR.UI, DicomTag.MediaStorageSOPInstanceUID, sopInstance);
        TransferSyntax = dataset.InternalTransferSyntax;
        AddOrUpdate(DicomVR.UI, DicomTag.ImplementationClassUID, HalflifeImplementationClassUID.UID);
        AddOrUpdate(DicomVR.SH, DicomTag.ImplementationVersionName, HalflifeImplementationVersionName);
    }

    /// <summary>
    /// (0002,0010), or for a file read without one the encoding detected from its data set, so callers
    /// always learn how the data set was really encoded.
    /// </summary>
    public DicomTransferSyntax TransferSyntax
    {
        get => TryGetString(DicomTag.TransferSyntaxUID, out var uid) && uid.Length > 0
            ? DicomTransferSyntax.Parse(uid)
            : DetectedTransferSyntax ?? DicomTransferSyntax.ExplicitVRLittleEndian;
        set => AddOrUpdate(DicomVR.UI, DicomTag.TransferSyntaxUID, value.UID.UID);
    }

    public bool HasTransferSyntax => Contains(DicomTag.TransferSyntaxUID);

    /// <summary>Set by the reader when (0002,0010) is absent and the encoding had to be guessed.</summary>
    internal DicomTransferSyntax? DetectedTransferSyntax { get; set; }

    public string? MediaStorageSOPClassUID => TryGetString(DicomTag.MediaStorageSOPClassUID, out var v) ? v : null;
    public string? MediaStorageSOPInstanceUID => TryGetString(DicomTag.MediaStorageSOPInstanceUID, out var v) ? v : null;
    public string? ImplementationClassUID => TryGetString(DicomTag.ImplementationClassUID, out var v) ? v : null;
    public string? ImplementationVersionName => TryGetString(DicomTag.ImplementationVersionName, out var v) ? v : null;
    public string? SourceApplicationEntityTitle => TryGetString(DicomTag.SourceApplicationEntityTitle, out var v) ? v : null;
}
