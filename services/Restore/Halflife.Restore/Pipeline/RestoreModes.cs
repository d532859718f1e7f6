namespace Halflife.Restore.Pipeline;

/// <summary>
/// Values of <c>Restore:Mode</c>: which model restores a scan (docs/restoration.md, "Which model").
/// </summary>
public static class RestoreModes
{
    /// <summary>Per scan: the 2 h -> 4 h model for an early bone scan, the count model for everything else.</summary>
    public const string Auto = "auto";
    /// <summary>Always the 2 h -> 4 h model (<c>Restore:ModelName</c>): noise removal and the lower background of a 4 h scan.</summary>
    public const string EarlyToStandard = "early-to-standard";
    /// <summary>Always the count model (<c>Restore:CountsModelName</c>): noise removal only, the picture kept as it is.</summary>
    public const string Counts = "counts";

    public static readonly IReadOnlyList<string> All = [Auto, EarlyToStandard, Counts];

    public static bool IsKnown(string? mode) => mode is not null && All.Contains(mode, StringComparer.OrdinalIgnoreCase);
}
