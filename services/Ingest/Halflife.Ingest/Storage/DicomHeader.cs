using Halflife.Dicom;

namespace Halflife.Ingest.Storage;

/// <summary>The attributes the catalogue indexes, read from an instance's header (pixel data is not decoded).</summary>
public sealed record DicomHeader(
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string SopInstanceUid,
    string SopClassUid,
    string TransferSyntaxUid,
    string? Modality,
    string? PatientId,
    string? PatientName,
    string? StudyDate,
    string? AccessionNumber,
    string? StudyDescription,
    string? SeriesDescription,
    int? SeriesNumber,
    int? InstanceNumber)
{
    /// <exception cref="InvalidInstanceException">Not DICOM, or a required UID is missing.</exception>
    public static DicomHeader Read(string path)
    {
        DicomFile file;
        try
        {
            file = DicomFile.Open(path, DicomReadOptions.StopAtPixelData);
        }
        catch (Exception e) when (e is DicomFileException or EndOfStreamException or InvalidDataException)
        {
            throw new InvalidInstanceException($"Not a readable DICOM file: {e.Message}");
        }
        var data = file.Dataset;
        string Required(DicomTag tag, string name) =>
            data.TryGetString(tag, out var value) && !string.IsNullOrWhiteSpace(value)
                ? value.Trim()
                : throw new InvalidInstanceException($"Required attribute {name} {tag} is missing.");
        string? Optional(DicomTag tag) =>
            data.TryGetString(tag, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        int? Number(DicomTag tag) => int.TryParse(Optional(tag), out var n) ? n : null;

        var sopClass = Optional(DicomTag.SOPClassUID) ?? Optional(DicomTag.MediaStorageSOPClassUID)
                       ?? throw new InvalidInstanceException("Required attribute SOPClassUID (0008,0016) is missing.");
        return new DicomHeader(
            Required(DicomTag.StudyInstanceUID, "StudyInstanceUID"),
            Required(DicomTag.SeriesInstanceUID, "SeriesInstanceUID"),
            Required(DicomTag.SOPInstanceUID, "SOPInstanceUID"),
            sopClass,
            file.FileMetaInfo.TransferSyntax.UID.UID,
            Optional(DicomTag.Modality),
            Optional(DicomTag.PatientID),
            Optional(DicomTag.PatientName),
            Optional(DicomTag.StudyDate),
            Optional(DicomTag.AccessionNumber),
            Optional(DicomTag.StudyDescription),
            Optional(DicomTag.SeriesDescription),
            Number(DicomTag.SeriesNumber),
            Number(DicomTag.InstanceNumber));
    }
}

/// <summary>The bytes are not an acceptable DICOM instance; the message says why (shown to the sender).</summary>
public sealed class InvalidInstanceException(string reason) : Exception(reason);
