namespace Halflife.Contracts;

/// <summary>A radiology report arrived (REST or HL7 v2 over MLLP).</summary>
public sealed record ReportReceived(
    Guid ReportId,
    string? AccessionNumber,
    string? PatientId,
    string Source,
    DateTimeOffset ReceivedAt);

public sealed record ReportParsed(
    Guid ReportId,
    string? StudyInstanceUid,
    string ImpressionCategory,
    int FindingCount,
    DateTimeOffset ParsedAt);

public sealed record ReportPublished(
    Guid ReportId,
    string StudyInstanceUid,
    string BlobKey,
    DateTimeOffset PublishedAt);
