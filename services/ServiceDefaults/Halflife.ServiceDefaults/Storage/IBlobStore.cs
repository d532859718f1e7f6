namespace Halflife.ServiceDefaults.Storage;

/// <summary>
/// Immutable blobs addressed by key (content hash or UID). Shaped after the S3 object API so that the
/// folder and S3 implementations behave the same: streaming reads and writes, ranged reads, listing by prefix.
/// </summary>
public interface IBlobStore
{
    /// <summary>Streams <paramref name="content"/> to <paramref name="key"/>; the blob becomes visible only when complete.</summary>
    Task<BlobInfo> PutAsync(string key, Stream content, string? contentType = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a local file as <paramref name="key"/>, taking ownership of the file: a store on the same disk may move
    /// it into place instead of copying (the file is gone afterwards either way).
    /// </summary>
    Task<BlobInfo> PutFileAsync(string key, string path, string? contentType = null, CancellationToken cancellationToken = default);

    /// <summary>Opens the blob for reading, optionally only bytes [offset, offset + length).</summary>
    /// <exception cref="BlobNotFoundException">The key does not exist.</exception>
    Task<Stream> OpenReadAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default);

    Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Deletes the blob; deleting a missing key is not an error (as in S3).</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);
}

public sealed record BlobInfo(string Key, long Length, DateTimeOffset LastModified, string? ContentType = null);

/// <summary>An inclusive-exclusive byte range: <see cref="Offset"/> and an optional <see cref="Length"/> (to the end when null).</summary>
public readonly record struct ByteRange(long Offset, long? Length = null)
{
    public static ByteRange From(long offset, long? length = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (length is < 0) throw new ArgumentOutOfRangeException(nameof(length));
        return new ByteRange(offset, length);
    }
}

public sealed class BlobNotFoundException(string key) : Exception($"Blob '{key}' does not exist.")
{
    public string Key { get; } = key;
}
