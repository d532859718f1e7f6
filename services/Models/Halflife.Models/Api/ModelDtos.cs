using Halflife.Models.Registry;

namespace Halflife.Models.Api;

public sealed record ModelVersionDto(string Name, string Version, string Task, string Sha256, long SizeBytes,
    IReadOnlyList<string> DataFiles, DateTimeOffset UploadedAt, string Source, string? UploadedBy, bool Active)
{
    public static ModelVersionDto From(ModelRecord r, string? activeVersion) => new(r.Name, r.Version, r.Task, r.Sha256, r.SizeBytes,
        r.DataFiles.Select(d => d.FileName).ToList(), Utc(r.UploadedAt), r.Source, r.UploadedBy, r.Version == activeVersion);

    internal static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}

public sealed record ModelSummaryDto(string Name, string? ActiveVersion, IReadOnlyList<ModelVersionDto> Versions);

public sealed record ActivationDto(string Name, string? Version, DateTimeOffset At, string? By)
{
    public static ActivationDto From(ActivationEntry e) => new(e.Name, e.Version, ModelVersionDto.Utc(e.At), e.By);
}

public sealed record ActivateRequest(string Version);
