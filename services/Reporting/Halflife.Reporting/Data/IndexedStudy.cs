namespace Halflife.Reporting.Data;

/// <summary>
/// Reporting's own copy of what it needs to know about a study, built from InstanceReceived (no reads of Ingest's
/// database). Dates and times keep DICOM's DA/TM text; <see cref="StudyDate"/> is also the linking key for reports.
/// </summary>
public sealed class IndexedStudy
{
    public string StudyInstanceUid { get; set; } = "";
    /// <summary>The study's project (InstanceReceived.ProjectId of its first instance); null is the default project.</summary>
    public string? ProjectId { get; set; }
    public string? PatientId { get; set; }
    public string? PatientName { get; set; }
    public string? PatientSex { get; set; }
    public string? PatientBirthDate { get; set; }
    public string? StudyDate { get; set; }
    public string? StudyTime { get; set; }
    public string? AccessionNumber { get; set; }
    public string? StudyDescription { get; set; }
    public string? InstitutionName { get; set; }
    public DateTime FirstReceivedAt { get; set; }
}

/// <summary>One acquisition (series): the unit that is paired as an early or a standard scan.</summary>
public sealed class IndexedSeries
{
    public string SeriesInstanceUid { get; set; } = "";
    public string StudyInstanceUid { get; set; } = "";
    public string? PatientId { get; set; }
    public string? Modality { get; set; }
    public string? SeriesDescription { get; set; }
    /// <summary>YYYYMMDD: the series date, else the study date (the day used for pairing).</summary>
    public string? ScanDate { get; set; }
    /// <summary>HHMMSS(.ffffff): acquisition time, else series time, else study time.</summary>
    public string? ScanTime { get; set; }
    public string? RadiopharmaceuticalStartTime { get; set; }
    public string? Radiopharmaceutical { get; set; }
}

public sealed class IndexedInstance
{
    public Guid InstanceId { get; set; }
    public string SopInstanceUid { get; set; } = "";
    public string SopClassUid { get; set; } = "";
    public string SeriesInstanceUid { get; set; } = "";
    public string StudyInstanceUid { get; set; } = "";
    public string BlobKey { get; set; } = "";
    public long SizeBytes { get; set; }
    public DateTime ReceivedAt { get; set; }
}

public enum DerivedKind { Restored, Denoised }

/// <summary>A restored or denoised object made from an original instance (ImageRestored / ImageDenoised).</summary>
public sealed class DerivedImage
{
    public Guid Id { get; set; }
    public DerivedKind Kind { get; set; }
    public Guid SourceInstanceId { get; set; }
    public string StudyInstanceUid { get; set; } = "";
    public string SourceSopInstanceUid { get; set; } = "";
    public string? DerivedSopInstanceUid { get; set; }
    public string BlobKey { get; set; } = "";
    /// <summary>Model name (restored) or method (denoised).</summary>
    public string ModelName { get; set; } = "";
    public string? ModelVersion { get; set; }
    public DateTime CreatedAt { get; set; }
}
