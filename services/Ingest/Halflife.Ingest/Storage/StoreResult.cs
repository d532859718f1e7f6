namespace Halflife.Ingest.Storage;

public enum StoreOutcome { Stored, Duplicate }

public sealed record StoreResult(StoreOutcome Outcome, Guid InstanceId, string StudyInstanceUid, string SeriesInstanceUid,
    string SopInstanceUid, string BlobKey, long SizeBytes);

/// <summary>The instance is larger than the configured limit.</summary>
public sealed class InstanceTooLargeException(long limit) : Exception($"Instance exceeds the limit of {limit} bytes.")
{
    public long Limit { get; } = limit;
}
