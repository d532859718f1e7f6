namespace Halflife.Ingest.Storage;

public enum StoreOutcome { Stored, Duplicate }

public sealed record StoreResult(StoreOutcome Outcome, Guid InstanceId, string StudyInstanceUid, string SeriesInstanceUid,
    string SopInstanceUid, string BlobKey, long SizeBytes);

/// <summary>The instance is larger than the configured limit.</summary>
public sealed class InstanceTooLargeException(long limit) : Exception($"Instance exceeds the limit of {limit} bytes.")
{
    public long Limit { get; } = limit;
}

/// <summary>What the sender said it sends (C-STORE's Affected SOP Class/Instance UIDs); the data set must agree.</summary>
public sealed record ExpectedIdentity(string SopClassUid, string SopInstanceUid)
{
    public void Check(DicomHeader header)
    {
        if (header.SopInstanceUid != SopInstanceUid)
            throw new InstanceMismatchException($"SOP Instance UID {header.SopInstanceUid} differs from the command's {SopInstanceUid}.");
        if (header.SopClassUid != SopClassUid)
            throw new InstanceMismatchException($"SOP Class UID {header.SopClassUid} differs from the command's {SopClassUid}.");
    }
}

/// <summary>The data set does not match the SOP Class / Instance the sender announced (DIMSE status A900).</summary>
public sealed class InstanceMismatchException(string reason) : Exception(reason);
