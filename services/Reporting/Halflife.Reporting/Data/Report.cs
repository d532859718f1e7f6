namespace Halflife.Reporting.Data;

/// <summary>
/// A radiology report for one order: linked to a study by accession number, else by patient ID and study date.
/// Its text lives in <see cref="ReportVersion"/>s; an amendment adds a version and never rewrites an older one.
/// </summary>
public sealed class Report
{
    public Guid Id { get; set; }
    public string? AccessionNumber { get; set; }
    public string? PatientId { get; set; }
    /// <summary>YYYYMMDD, the study date the report is about (used for linking without an accession number).</summary>
    public string? StudyDate { get; set; }
    /// <summary>Null while pending: the study has not arrived (or could not be chosen) yet.</summary>
    public string? StudyInstanceUid { get; set; }
    /// <summary>How the link was made or why it is pending, in words for the operator.</summary>
    public string? LinkNote { get; set; }
    public int CurrentVersion { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class ReportVersion
{
    public Guid Id { get; set; }
    public Guid ReportId { get; set; }
    public int Version { get; set; }
    /// <summary>"rest" or "hl7".</summary>
    public string Source { get; set; } = "";
    /// <summary>HL7 MSH-10 (or a client's idempotency key over REST): a repeat is a duplicate, not a new version.</summary>
    public string? ControlId { get; set; }
    /// <summary>HL7 OBR-25: F final, C corrected, P preliminary, ... (REST: F, or C when it amends).</summary>
    public string ResultStatus { get; set; } = "F";
    public string Text { get; set; } = "";
    public string TextSha256 { get; set; } = "";
    public string? Author { get; set; }
    /// <summary>The parser's output (ReportJson) with spans.</summary>
    public string ParsedJson { get; set; } = "";
    public string ImpressionCategory { get; set; } = "";
    public int FindingCount { get; set; }
    /// <summary>Sites with a present or probable metastasis, comma-separated ("Rib,Spine"): an export filter and label.</summary>
    public string MetastasisSites { get; set; } = "";
    public DateTime ReceivedAt { get; set; }
}
