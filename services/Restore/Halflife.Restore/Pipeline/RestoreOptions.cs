namespace Halflife.Restore.Pipeline;

/// <summary>Configuration section "Restore".</summary>
public sealed class RestoreOptions
{
    public const string Section = "Restore";
    /// <summary>Modalities Restore works on; bone scans are NM.</summary>
    public string[] Modalities { get; set; } = ["NM"];
    /// <summary>The ONNX file of the restoration model; its model-card.json must lie beside it. Default: the copy in the output folder.</summary>
    public string? ModelPath { get; set; }
}
