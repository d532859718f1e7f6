namespace Halflife.Denoise.Denoised;

/// <summary>A denoised (derived) object made from one original instance. Originals are never overwritten.</summary>
public sealed class DenoisedInstance
{
    public Guid Id { get; set; }
    public Guid SourceInstanceId { get; set; }
    public string StudyInstanceUid { get; set; } = "";
    /// <summary>The original's project (InstanceReceived.ProjectId); null is the default project.</summary>
    public string? ProjectId { get; set; }
    public string SourceSopInstanceUid { get; set; } = "";
    public string DenoisedSopInstanceUid { get; set; } = "";
    public string DenoisedSeriesInstanceUid { get; set; } = "";
    public string SourceBlobKey { get; set; } = "";
    public string BlobKey { get; set; } = "";
    public string Method { get; set; } = "";
    public string Parameters { get; set; } = "";
    public int Frames { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public double Milliseconds { get; set; }
    public DateTime CreatedAt { get; set; }
}
