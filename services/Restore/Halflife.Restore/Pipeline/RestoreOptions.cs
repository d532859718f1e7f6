namespace Halflife.Restore.Pipeline;

/// <summary>Configuration section "Restore".</summary>
public sealed class RestoreOptions
{
    public const string Section = "Restore";
    /// <summary>Modalities Restore works on; bone scans are NM.</summary>
    public string[] Modalities { get; set; } = ["NM"];
}
