using System.Text.Json.Nodes;

namespace Halflife.Reporting.StudyReports;

/// <summary>The study report as JSON: who, what, the images with their quality, the model, and the parsed report.</summary>
public sealed record StudyReportDocument(
    PatientDto Patient,
    StudyDto Study,
    IReadOnlyList<ImageEntryDto> Images,
    IReadOnlyList<ModelDto> Models,
    ReportSectionDto? Report,
    DateTimeOffset GeneratedAt);

public sealed record PatientDto(string? Id, string? Name, string? Sex, string? BirthDate);

public sealed record StudyDto(string StudyInstanceUid, string? StudyDate, string? StudyTime, string? AccessionNumber,
    string? Description, string? Institution, IReadOnlyList<SeriesDto> Series);

public sealed record SeriesDto(string SeriesInstanceUid, string? Modality, string? Description, string? ScanDate, string? ScanTime,
    string? InjectionTime, int? MinutesAfterInjection, int InstanceCount);

/// <summary>An original instance, its quality, and (when Restore made one) the restored image beside it.</summary>
public sealed record ImageEntryDto(Guid InstanceId, string SopInstanceUid, string SeriesInstanceUid, string OriginalPngUrl,
    ImageQuality? OriginalQuality, DerivedEntryDto? Restored, string? Problem)
{
    /// <summary>PNG bytes of frame 0 for the printable page; not part of the JSON.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public byte[]? OriginalPng { get; init; }
}

public sealed record DerivedEntryDto(Guid Id, string? DerivedSopInstanceUid, string Kind, string ModelName, string? ModelVersion,
    string PngUrl, ImageQuality? Quality, QualityComparison? ComparedWithOriginal)
{
    [System.Text.Json.Serialization.JsonIgnore] public byte[]? Png { get; init; }
}

public sealed record ModelDto(string Kind, string Name, string? Version);

public sealed record ReportSectionDto(Guid ReportId, int Version, int VersionCount, string ResultStatus, string? Author,
    DateTime ReceivedAt, string ImpressionCategory, string MetastasisSites, string Text, JsonNode? Parsed, string? LinkNote);
