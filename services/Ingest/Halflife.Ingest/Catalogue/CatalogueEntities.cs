namespace Halflife.Ingest.Catalogue;

// The study / series / instance hierarchy of DICOM (PS3.3 information model), as far as the catalogue needs it
// for finding things. The instance itself is the blob; these rows only index it.

public sealed class Study
{
    public Guid Id { get; set; }
    public string StudyInstanceUid { get; set; } = "";
    public string? PatientId { get; set; }
    public string? PatientName { get; set; }
    /// <summary>DICOM DA (yyyyMMdd) as received; kept as text so partial or odd dates are never lost.</summary>
    public string? StudyDate { get; set; }
    public string? AccessionNumber { get; set; }
    public string? StudyDescription { get; set; }
    public string? ProjectId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastInstanceAt { get; set; }
    /// <summary>Set when the quiet period passed without new instances (StudyCompleted was published).</summary>
    public DateTime? CompletedAt { get; set; }
    public List<Series> Series { get; set; } = [];
}

public sealed class Series
{
    public Guid Id { get; set; }
    public Guid StudyId { get; set; }
    public Study? Study { get; set; }
    public string SeriesInstanceUid { get; set; } = "";
    public string? Modality { get; set; }
    public string? SeriesDescription { get; set; }
    public int? SeriesNumber { get; set; }
    public List<Instance> Instances { get; set; } = [];
}

public sealed class Instance
{
    public Guid Id { get; set; }
    public Guid SeriesId { get; set; }
    public Series? Series { get; set; }
    public string SopInstanceUid { get; set; } = "";
    public string SopClassUid { get; set; } = "";
    public string TransferSyntaxUid { get; set; } = "";
    public int? InstanceNumber { get; set; }
    public string BlobKey { get; set; } = "";
    public string Sha256 { get; set; } = "";
    public long SizeBytes { get; set; }
    /// <summary>Where it came from: "rest" or "dicom:{calling AE}".</summary>
    public string Source { get; set; } = "";
    public DateTime ReceivedAt { get; set; }
}
