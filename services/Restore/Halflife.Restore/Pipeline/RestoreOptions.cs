using Halflife.Restore.Forwarding;

namespace Halflife.Restore.Pipeline;

/// <summary>Configuration section "Restore".</summary>
public sealed class RestoreOptions
{
    public const string Section = "Restore";
    /// <summary>Modalities Restore works on; bone scans are NM.</summary>
    public string[] Modalities { get; set; } = ["NM"];
    /// <summary>auto (default), early-to-standard or counts: which model restores a scan (<see cref="RestoreModelSelector"/>).</summary>
    public string Mode { get; set; } = RestoreModes.Auto;
    /// <summary>The registry name of the 2 h -> 4 h model; its active version is used (docs/models.md).</summary>
    public string ModelName { get; set; } = "bone-restore";
    /// <summary>The registry name of the count-restoration (noise removal only) model.</summary>
    public string CountsModelName { get; set; } = "bone-denoise-counts";
    /// <summary>In auto mode, a scan this many hours or more after injection is late: the count model restores it.</summary>
    public double LateScanHours { get; set; } = 3.0;
    /// <summary>In auto mode, a scan earlier than this (flow, blood pool) is not a 2 h scan: the count model restores it.</summary>
    public double EarlyScanMinHours { get; set; } = 1.0;
    /// <summary>The models shipped with the service, imported into the registry on first start.</summary>
    public static readonly IReadOnlyList<string> SeedFolders = ["models/bone-restore", "models/bone-denoise-counts"];
    /// <summary>Sending restored instances to a PACS (C-STORE SCU).</summary>
    public ForwardingOptions Forwarding { get; set; } = new();

    /// <summary>The registry names this configuration can use.</summary>
    public IReadOnlyList<string> ModelNames() => Mode.Trim().ToLowerInvariant() switch
    {
        RestoreModes.EarlyToStandard => [ModelName],
        RestoreModes.Counts => [CountsModelName],
        _ => [ModelName, CountsModelName],
    };

    public IEnumerable<string> Problems()
    {
        if (!RestoreModes.IsKnown(Mode)) yield return $"Restore:Mode '{Mode}' is not one of {string.Join(", ", RestoreModes.All)}";
        if (!(EarlyScanMinHours >= 0 && EarlyScanMinHours < LateScanHours))
            yield return $"Restore:EarlyScanMinHours ({EarlyScanMinHours}) must be >= 0 and below Restore:LateScanHours ({LateScanHours})";
        if (string.IsNullOrWhiteSpace(ModelName)) yield return "Restore:ModelName is empty";
        if (string.IsNullOrWhiteSpace(CountsModelName)) yield return "Restore:CountsModelName is empty";
    }
}
