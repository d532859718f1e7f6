using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using S3ByteRange = Amazon.S3.Model.ByteRange;

namespace Halflife.ServiceDefaults.Storage;

/// <summary>
/// Blobs in an S3 bucket (MinIO in production, s3rver in tests). Uploads of unknown or large size go as multipart
/// uploads with a fixed part buffer, so a multi-GB slide never sits in memory.
/// </summary>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    private const long SinglePutLimit = 64L * 1024 * 1024;
    private const int PartSize = 16 * 1024 * 1024;

    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly string _prefix;

    public S3BlobStore(S3BlobStoreOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.Bucket);
        var config = new AmazonS3Config
        {
            ServiceURL = options.ServiceUrl,
            ForcePathStyle = true,
            AuthenticationRegion = options.Region,
            // AWSSDK.S3 4.x defaults to aws-chunked uploads with trailing checksums, which s3rver stores verbatim
            // (DEPENDENCIES.md). Checksums only when the service requires them keeps MinIO and s3rver byte-exact.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        _s3 = new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
        _bucket = options.Bucket;
        _prefix = string.IsNullOrEmpty(options.KeyPrefix) ? "" : BlobKey.ValidatePrefix(options.KeyPrefix.TrimEnd('/') + "/");
    }

    public async Task EnsureBucketAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _s3.PutBucketAsync(new PutBucketRequest { BucketName = _bucket }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }
    }

    public async Task<BlobInfo> PutAsync(string key, Stream content, string? contentType = null, CancellationToken cancellationToken = default)
    {
        var objectKey = ObjectKey(key);
        long? knownLength = content.CanSeek ? content.Length - content.Position : null;
        if (knownLength is { } length && length <= SinglePutLimit)
        {
            await _s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _bucket,
                Key = objectKey,
                InputStream = content,
                AutoCloseStream = false,
                UseChunkEncoding = false,
                ContentType = contentType ?? "application/octet-stream",
            }, cancellationToken);
        }
        else
        {
            await PutMultipartAsync(objectKey, content, contentType, cancellationToken);
        }
        return await GetInfoAsync(key, cancellationToken) ?? throw new IOException($"S3 did not keep '{key}'.");
    }

    public async Task<BlobInfo> PutFileAsync(string key, string path, string? contentType = null, CancellationToken cancellationToken = default)
    {
        BlobInfo info;
        await using (var source = File.OpenRead(path))
            info = await PutAsync(key, source, contentType, cancellationToken);
        File.Delete(path);
        return info;
    }

    private async Task PutMultipartAsync(string objectKey, Stream content, string? contentType, CancellationToken cancellationToken)
    {
        var upload = await _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = _bucket, Key = objectKey, ContentType = contentType ?? "application/octet-stream",
        }, cancellationToken);
        var parts = new List<PartETag>();
        var buffer = new byte[PartSize];
        try
        {
            for (var partNumber = 1; ; partNumber++)
            {
                var filled = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
                if (filled == 0 && partNumber > 1) break;
                using var part = new MemoryStream(buffer, 0, filled, writable: false);
                var response = await _s3.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _bucket, Key = objectKey, UploadId = upload.UploadId, PartNumber = partNumber,
                    InputStream = part, PartSize = filled, UseChunkEncoding = false,
                }, cancellationToken);
                parts.Add(new PartETag(partNumber, response.ETag));
                if (filled < buffer.Length) break;
            }
            await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _bucket, Key = objectKey, UploadId = upload.UploadId, PartETags = parts,
            }, cancellationToken);
        }
        catch
        {
            await _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest
            {
                BucketName = _bucket, Key = objectKey, UploadId = upload.UploadId,
            }, CancellationToken.None);
            throw;
        }
    }

    public async Task<Stream> OpenReadAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        var request = new GetObjectRequest { BucketName = _bucket, Key = ObjectKey(key) };
        if (range is { } r)
        {
            var info = await GetInfoAsync(key, cancellationToken) ?? throw new BlobNotFoundException(key);
            var start = Math.Min(r.Offset, info.Length);
            var end = Math.Min(info.Length, r.Length is { } l ? start + l : info.Length) - 1;
            if (end < start) return Stream.Null;
            request.ByteRange = new S3ByteRange(start, end);
        }
        try
        {
            var response = await _s3.GetObjectAsync(request, cancellationToken);
            return new S3ResponseStream(response);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new BlobNotFoundException(key);
        }
    }

    public async Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var meta = await _s3.GetObjectMetadataAsync(_bucket, ObjectKey(key), cancellationToken);
            return new BlobInfo(key, meta.ContentLength, ToOffset(meta.LastModified), meta.Headers.ContentType);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        await GetInfoAsync(key, cancellationToken) is not null;

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix + BlobKey.ValidatePrefix(prefix) };
        while (true)
        {
            var page = await _s3.ListObjectsV2Async(request, cancellationToken);
            // AWSSDK 4 returns null rather than an empty list when a page has no objects.
            foreach (var item in page.S3Objects ?? [])
                yield return new BlobInfo(item.Key[_prefix.Length..], item.Size ?? 0, ToOffset(item.LastModified));
            if (page.IsTruncated != true) yield break;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        await _s3.DeleteObjectAsync(_bucket, ObjectKey(key), cancellationToken);

    public void Dispose() => _s3.Dispose();

    private string ObjectKey(string key) => _prefix + BlobKey.Validate(key);

    private static DateTimeOffset ToOffset(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc)) : DateTimeOffset.MinValue;

    /// <summary>Keeps the GetObject response alive (and disposes it) for as long as the caller reads its body.</summary>
    private sealed class S3ResponseStream(GetObjectResponse response) : Stream
    {
        private readonly Stream _body = response.ResponseStream;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => response.ContentLength;
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _body.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => _body.Read(buffer);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _body.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _body.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing) response.Dispose();
            base.Dispose(disposing);
        }
    }
}
