namespace Halflife.Ingest.Storage;

/// <summary>Configuration section "Ingest".</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";
    /// <summary>Largest single DICOM instance accepted (REST or C-STORE). Default 2 GiB.</summary>
    public long MaxInstanceBytes { get; set; } = 2L * 1024 * 1024 * 1024;
    /// <summary>A study with no new instance for this long is complete (StudyCompleted).</summary>
    public TimeSpan StudyQuietPeriod { get; set; } = TimeSpan.FromSeconds(60);
}
