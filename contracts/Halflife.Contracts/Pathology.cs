namespace Halflife.Contracts;

/// <summary>A whole-slide image finished uploading and passed its checksum.</summary>
public sealed record SlideUploaded(
    Guid SlideId,
    string Name,
    string BlobKey,
    long SizeBytes,
    string? ProjectId,
    DateTimeOffset UploadedAt);
