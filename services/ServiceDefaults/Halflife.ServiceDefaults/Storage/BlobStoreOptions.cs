namespace Halflife.ServiceDefaults.Storage;

public enum BlobStoreKind { Folder, S3 }

/// <summary>Configuration section "BlobStore".</summary>
public sealed class BlobStoreOptions
{
    public const string Section = "BlobStore";
    public BlobStoreKind Kind { get; set; } = BlobStoreKind.Folder;
    /// <summary>Folder for <see cref="BlobStoreKind.Folder"/>; relative paths are under the data directory.</summary>
    public string Path { get; set; } = "blobs";
    public S3BlobStoreOptions S3 { get; set; } = new();
}

public sealed class S3BlobStoreOptions
{
    public string ServiceUrl { get; set; } = "http://127.0.0.1:9000";
    public string Bucket { get; set; } = "halflife";
    public string Region { get; set; } = "us-east-1";
    public string AccessKey { get; set; } = "";
    public string SecretKey { get; set; } = "";
    /// <summary>Optional prefix inside the bucket (lets several deployments or test runs share one bucket).</summary>
    public string? KeyPrefix { get; set; }
}
