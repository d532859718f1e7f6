namespace Halflife.Contracts;

// Events are facts that already happened, named in the past tense. They carry ids and blob keys,
// never pixels: big payloads stay in the blob store. A breaking change gets a new name (…V2).

/// <summary>Ingest stored a DICOM instance (blob and catalogue row committed).</summary>
public sealed record InstanceReceived(
    Guid InstanceId,
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string SopInstanceUid,
    string SopClassUid,
    string? Modality,
    string BlobKey,
    long SizeBytes,
    string? ProjectId,
    DateTimeOffset ReceivedAt,
    StudyContext? Context = null);

/// <summary>
/// Who and when an instance is about, copied from its header so that downstream services (Reporting's report
/// linking and 2 h / 4 h pairing, the UI's lists) need not open the blob. Dates and times keep DICOM's DA/TM text.
/// </summary>
public sealed record StudyContext(
    string? PatientId,
    string? PatientName,
    string? PatientSex,
    string? PatientBirthDate,
    string? StudyDate,
    string? StudyTime,
    string? AccessionNumber,
    string? StudyDescription,
    string? SeriesDescription,
    string? SeriesDate,
    string? SeriesTime,
    string? AcquisitionTime,
    string? RadiopharmaceuticalStartTime,
    string? Radiopharmaceutical,
    string? InstitutionName);

/// <summary>No new instance arrived for a study during the configured quiet period.</summary>
public sealed record StudyCompleted(
    string StudyInstanceUid,
    int InstanceCount,
    DateTimeOffset CompletedAt);

/// <summary>Denoise wrote a denoised copy of an NM instance.</summary>
public sealed record ImageDenoised(
    Guid InstanceId,
    string StudyInstanceUid,
    string SopInstanceUid,
    string SourceBlobKey,
    string DenoisedBlobKey,
    string Method,
    DateTimeOffset DenoisedAt);

/// <summary>Restore wrote a derived (restored) object for an original instance.</summary>
public sealed record ImageRestored(
    Guid InstanceId,
    string StudyInstanceUid,
    string SourceSopInstanceUid,
    string DerivedSopInstanceUid,
    string SourceBlobKey,
    string DerivedBlobKey,
    string ModelName,
    string ModelVersion,
    DateTimeOffset RestoredAt);

/// <summary>Restore sent a derived instance to a remote PACS.</summary>
public sealed record InstanceForwarded(
    string SopInstanceUid,
    string DestinationAeTitle,
    ushort Status,
    DateTimeOffset ForwardedAt);
