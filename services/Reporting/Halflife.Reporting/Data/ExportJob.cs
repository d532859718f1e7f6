namespace Halflife.Reporting.Data;

public enum ExportState { Queued, Running, Completed, Failed }

/// <summary>A research data-set export: its request, progress, log and the blobs it produced.</summary>
public sealed class ExportJob
{
    public Guid Id { get; set; }
    public ExportState State { get; set; }
    public string Stage { get; set; } = "queued";
    /// <summary>Progress: patient-days examined of those the filters select (each day gives at most one pair).</summary>
    public int DaysDone { get; set; }
    public int DaysTotal { get; set; }
    public int PairsWritten { get; set; }
    public long FilesWritten { get; set; }
    public string RequestJson { get; set; } = "";
    /// <summary>One line per stage, newline-separated (also written to the service log).</summary>
    public string Log { get; set; } = "";
    public string? Error { get; set; }
    public string? CsvBlobKey { get; set; }
    public string? XlsxBlobKey { get; set; }
    public string? ZipBlobKey { get; set; }
    /// <summary>The re-identification key file; only an admin endpoint serves it.</summary>
    public string? KeyBlobKey { get; set; }
    /// <summary>Who started it (user id, else name): only they and admins see the export.</summary>
    public string? CreatedBy { get; set; }
    /// <summary>The starter's projects, comma-separated ("default" for studies without one); null: every project (admin).</summary>
    public string? ProjectScope { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
}
