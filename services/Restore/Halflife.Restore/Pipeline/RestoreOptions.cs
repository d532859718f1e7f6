using Halflife.Restore.Forwarding;

namespace Halflife.Restore.Pipeline;

/// <summary>Configuration section "Restore".</summary>
public sealed class RestoreOptions
{
    public const string Section = "Restore";
    /// <summary>Modalities Restore works on; bone scans are NM.</summary>
    public string[] Modalities { get; set; } = ["NM"];
    /// <summary>The registry name of the restoration model; its active version is used (docs/models.md).</summary>
    public string ModelName { get; set; } = "bone-restore";
    /// <summary>The model shipped with the service, imported into the registry on first start.</summary>
    public const string SeedFolder = "models/bone-restore";
    /// <summary>Sending restored instances to a PACS (C-STORE SCU).</summary>
    public ForwardingOptions Forwarding { get; set; } = new();
}
