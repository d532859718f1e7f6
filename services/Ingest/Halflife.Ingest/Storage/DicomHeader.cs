using Halflife.Contracts;
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
    int? InstanceNumber,
    StudyContext Context)
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
            Number(DicomTag.InstanceNumber),
            ReadContext(data, Optional));
    }

    private static StudyContext ReadContext(DicomDataset data, Func<DicomTag, string?> optional)
    {
        // The injection time lives in the first item of the Radiopharmaceutical Information Sequence (NM and PET).
        string? injection = null, agent = null;
        if (data.TryGetSequence(DicomTag.RadiopharmaceuticalInformationSequence, out var radiopharmaceutical)
            && radiopharmaceutical.Items.Count > 0)
        {
            var item = radiopharmaceutical.Items[0];
            injection = item.TryGetString(DicomTag.RadiopharmaceuticalStartTime, out var t) && !string.IsNullOrWhiteSpace(t) ? t.Trim() : null;
            agent = item.TryGetString(DicomTag.Radiopharmaceutical, out var r) && !string.IsNullOrWhiteSpace(r) ? r.Trim() : null;
        }
        return new StudyContext(
            optional(DicomTag.PatientID), optional(DicomTag.PatientName), optional(DicomTag.PatientSex),
            optional(DicomTag.PatientBirthDate), optional(DicomTag.StudyDate), optional(DicomTag.StudyTime),
            optional(DicomTag.AccessionNumber), optional(DicomTag.StudyDescription), optional(DicomTag.SeriesDescription),
            optional(DicomTag.SeriesDate), optional(DicomTag.SeriesTime), optional(DicomTag.AcquisitionTime),
            injection, agent, optional(DicomTag.InstitutionName));
    }
}

/// <summary>The bytes are not an acceptable DICOM instance; the message says why (shown to the sender).</summary>
public sealed class InvalidInstanceException(string reason) : Exception(reason);
