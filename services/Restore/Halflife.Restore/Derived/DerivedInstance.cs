namespace Halflife.Restore.Derived;

/// <summary>A derived (restored) object made from one original instance. Originals are never overwritten.</summary>
public sealed class DerivedInstance
{
    public Guid Id { get; set; }
    public Guid SourceInstanceId { get; set; }
    public string StudyInstanceUid { get; set; } = "";
    /// <summary>The original's project (InstanceReceived.ProjectId); null is the default project.</summary>
    public string? ProjectId { get; set; }
    public string SourceSopInstanceUid { get; set; } = "";
    public string DerivedSopInstanceUid { get; set; } = "";
    public string SourceBlobKey { get; set; } = "";
    public string BlobKey { get; set; } = "";
    public string ModelName { get; set; } = "";
    public string ModelVersion { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}
