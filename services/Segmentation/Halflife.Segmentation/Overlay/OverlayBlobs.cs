using System.Buffers.Binary;
using System.IO.Compression;
using Halflife.Segmentation.Pipeline;
using Halflife.ServiceDefaults.Storage;

namespace Halflife.Segmentation.Overlay;

/// <summary>
/// Where a job's overlay lives in the blob store, and its two formats: probability blocks exactly as the pipeline
/// delivered them, and overview snapshots (a pooled grid). Both are a 12-byte header (width, height, channels or
/// shift) and zlib-compressed bytes: probability maps are mostly zeros outside tissue and shrink a lot.
/// Every key is written once (blobs are immutable): overview snapshots get a new version number each time.
/// </summary>
public sealed class OverlayBlobs(IBlobStore blobs)
{
    public static string Prefix(Guid jobId) => $"segmentation/{jobId:N}/";

    public static string BlockKey(Guid jobId, int column, int row) => $"{Prefix(jobId)}blocks/{column}_{row}.bin";

    public static string OverviewKey(Guid jobId, int version) => $"{Prefix(jobId)}overview/{version}.bin";

    public static string TileKey(Guid jobId, int level, int column, int row) => $"{Prefix(jobId)}tiles/{level}/{column}_{row}.png";

    public static string ContoursKey(Guid jobId) => $"{Prefix(jobId)}contours.geojson";

    public async Task PutBlockAsync(Guid jobId, ProbabilityBlock block, CancellationToken cancellationToken)
    {
        var bytes = Pack(block.Width, block.Height, block.ClassCount, [block.Probabilities]);
        using var content = new MemoryStream(bytes, writable: false);
        await blobs.PutAsync(BlockKey(jobId, block.BlockColumn, block.BlockRow), content, "application/octet-stream", cancellationToken);
    }

    /// <returns>The block, or null when it has not been stored (not computed yet, or all background and skipped).</returns>
    public async Task<ProbabilityBlock?> GetBlockAsync(Guid jobId, int column, int row, CancellationToken cancellationToken)
    {
        var bytes = await TryReadAsync(BlockKey(jobId, column, row), cancellationToken);
        if (bytes is null) return null;
        var (width, height, channels, data) = Unpack(bytes);
        if (data.Length != (long)width * height * channels) throw new InvalidDataException($"Block {column}_{row} of job {jobId} is truncated.");
        return new ProbabilityBlock(column, row, width, height, channels, data);
    }

    public async Task PutOverviewAsync(Guid jobId, int version, PooledTile overview, int shift, CancellationToken cancellationToken)
    {
        var bytes = Pack(overview.Width, overview.Height, shift, [overview.Classes, overview.Probabilities]);
        using var content = new MemoryStream(bytes, writable: false);
        await blobs.PutAsync(OverviewKey(jobId, version), content, "application/octet-stream", cancellationToken);
    }

    public async Task<PooledTile?> GetOverviewAsync(Guid jobId, int version, CancellationToken cancellationToken)
    {
        var bytes = await TryReadAsync(OverviewKey(jobId, version), cancellationToken);
        if (bytes is null) return null;
        var (width, height, _, data) = Unpack(bytes);
        var plane = width * height;
        if (data.Length != 2L * plane) throw new InvalidDataException($"Overview {version} of job {jobId} is truncated.");
        var tile = new PooledTile(width, height);
        data.AsSpan(0, plane).CopyTo(tile.Classes);
        data.AsSpan(plane, plane).CopyTo(tile.Probabilities);
        return tile;
    }

    /// <summary>Removes the overview snapshots older than <paramref name="keep"/> (readers holding an older version re-read the job).</summary>
    public async Task DeleteOverviewsBeforeAsync(Guid jobId, int keep, CancellationToken cancellationToken)
    {
        var stale = new List<string>();
        await foreach (var blob in blobs.ListAsync($"{Prefix(jobId)}overview/", cancellationToken))
            if (blob.Key != OverviewKey(jobId, keep)) stale.Add(blob.Key);
        foreach (var key in stale) await blobs.DeleteAsync(key, cancellationToken);
    }

    public async Task<byte[]?> TryReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await blobs.OpenReadAsync(key, cancellationToken: cancellationToken);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (BlobNotFoundException)
        {
            return null;
        }
    }

    public async Task PutAsync(string key, byte[] bytes, string contentType, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(bytes, writable: false);
        await blobs.PutAsync(key, content, contentType, cancellationToken);
    }

    private static byte[] Pack(int width, int height, int third, byte[][] planes)
    {
        using var output = new MemoryStream();
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(header, width);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], height);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], third);
        output.Write(header);
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
            foreach (var plane in planes) zlib.Write(plane);
        return output.ToArray();
    }

    private static (int Width, int Height, int Third, byte[] Data) Unpack(byte[] bytes)
    {
        if (bytes.Length < 12) throw new InvalidDataException("Overlay blob shorter than its header.");
        var width = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        var height = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        var third = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        if (width is <= 0 or > 1 << 16 || height is <= 0 or > 1 << 16 || third is < 0 or > 255)
            throw new InvalidDataException("Overlay blob header out of range.");
        using var zlib = new ZLibStream(new MemoryStream(bytes, 12, bytes.Length - 12), CompressionMode.Decompress);
        using var data = new MemoryStream();
        zlib.CopyTo(data);
        return (width, height, third, data.ToArray());
    }
}
