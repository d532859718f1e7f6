namespace Halflife.Contracts;

// Shapes returned by the HTTP API (through the gateway). Records without behaviour, like the events.

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

public sealed record StudySummary(
    string StudyInstanceUid,
    string? PatientId,
    string? PatientName,
    string? StudyDate,
    string? AccessionNumber,
    string? StudyDescription,
    IReadOnlyList<string> Modalities,
    int SeriesCount,
    int InstanceCount,
    DateTimeOffset LastInstanceAt,
    bool Completed);

public sealed record SeriesSummary(
    string SeriesInstanceUid,
    string? Modality,
    string? SeriesDescription,
    int? SeriesNumber,
    IReadOnlyList<InstanceSummary> Instances);

public sealed record InstanceSummary(
    Guid InstanceId,
    string SopInstanceUid,
    string SopClassUid,
    string TransferSyntaxUid,
    int? InstanceNumber,
    long SizeBytes,
    DateTimeOffset ReceivedAt);

public sealed record StoredInstance(
    Guid InstanceId,
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string SopInstanceUid,
    bool Duplicate,
    string? Error = null);
