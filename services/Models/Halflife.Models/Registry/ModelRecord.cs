namespace Halflife.Models.Registry;

/// <summary>
/// What the registry knows about one stored version (record.json). It is written last, after the ONNX file, its
/// external data and the card, so a version is visible only once complete; the hashes let a loader detect a
/// damaged or mixed-up copy before ONNX Runtime sees it.
/// </summary>
public sealed record ModelRecord
{
    public string Name { get; init; } = "";
    public string Version { get; init; } = "";
    public string Task { get; init; } = "";
    public string Sha256 { get; init; } = "";
    public long SizeBytes { get; init; }
    public IReadOnlyList<ModelDataFile> DataFiles { get; init; } = [];
    public DateTime UploadedAt { get; init; }
    /// <summary>"upload" or "seed".</summary>
    public string Source { get; init; } = "upload";
    public string? UploadedBy { get; init; }
}

/// <summary>An external data file: stored under a key of ours, restored under the name the ONNX graph refers to.</summary>
public sealed record ModelDataFile(string FileName, string Key, string Sha256, long SizeBytes);

/// <summary>One entry of a model's activation log; <see cref="Version"/> null means "deactivated".</summary>
public sealed record ActivationEntry(string Name, string? Version, DateTime At, string? By);
