using System.Security.Cryptography;
using Halflife.ServiceDefaults.Storage;
using Halflife.Testing;

namespace Halflife.ServiceDefaults.Tests.Storage;

/// <summary>The same behaviour from every blob store: the folder store and the S3 store against a real S3 server.</summary>
public abstract class BlobStoreContractTests
{
    protected abstract IBlobStore CreateStore();

    [Fact]
    public async Task Put_then_read_returns_the_same_bytes()
    {
        var store = CreateStore();
        var bytes = RandomBytes(300_001);
        await store.PutAsync("t/one.bin", new MemoryStream(bytes), "application/octet-stream", TestContext.Current.CancellationToken);
        Assert.Equal(bytes, await ReadAllAsync(store, "t/one.bin"));
        var info = await store.GetInfoAsync("t/one.bin", TestContext.Current.CancellationToken);
        Assert.NotNull(info);
        Assert.Equal(bytes.Length, info.Length);
    }

    [Fact]
    public async Task A_local_file_is_taken_over_whole_and_the_file_is_gone()
    {
        var store = CreateStore();
        var bytes = RandomBytes(70_001);
        var path = Path.Combine(Path.GetTempPath(), "halflife-put-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(path, bytes, TestContext.Current.CancellationToken);
        var info = await store.PutFileAsync("t/file.bin", path, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(bytes.Length, info.Length);
        Assert.Equal(bytes, await ReadAllAsync(store, "t/file.bin"));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Ranged_reads_return_exactly_the_requested_slice()
    {
        var store = CreateStore();
        var bytes = RandomBytes(100_000);
        await store.PutAsync("t/range.bin", new MemoryStream(bytes), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(bytes[1000..1500], await ReadAllAsync(store, "t/range.bin", ByteRange.From(1000, 500)));
        Assert.Equal(bytes[99_990..], await ReadAllAsync(store, "t/range.bin", ByteRange.From(99_990)));
        Assert.Equal(bytes[99_000..], await ReadAllAsync(store, "t/range.bin", ByteRange.From(99_000, 5_000)));
        Assert.Empty(await ReadAllAsync(store, "t/range.bin", ByteRange.From(200_000, 10)));
    }

    [Fact]
    public async Task Unknown_length_streams_are_stored_in_parts_without_changing_a_byte()
    {
        var store = CreateStore();
        var bytes = RandomBytes(40 * 1024 * 1024 + 123); // several multipart parts, last one short
        await store.PutAsync("t/large.bin", new NonSeekableStream(bytes), cancellationToken: TestContext.Current.CancellationToken);
        var back = await ReadAllAsync(store, "t/large.bin");
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(back));
    }

    [Fact]
    public async Task Exists_list_and_delete_follow_the_keys()
    {
        var store = CreateStore();
        var ct = TestContext.Current.CancellationToken;
        foreach (var key in new[] { "list/a/1.bin", "list/a/2.bin", "list/b/1.bin", "listing/x.bin" })
            await store.PutAsync(key, new MemoryStream([1, 2, 3]), cancellationToken: ct);

        Assert.True(await store.ExistsAsync("list/a/1.bin", ct));
        Assert.False(await store.ExistsAsync("list/a/9.bin", ct));
        Assert.Equal(["list/a/1.bin", "list/a/2.bin"], await Keys(store, "list/a/"));
        Assert.Equal(["list/a/1.bin", "list/a/2.bin", "list/b/1.bin"], await Keys(store, "list/"));
        Assert.Equal(["list/a/1.bin", "list/a/2.bin", "list/b/1.bin", "listing/x.bin"], await Keys(store, "list"));

        await store.DeleteAsync("list/a/1.bin", ct);
        await store.DeleteAsync("list/a/1.bin", ct); // deleting twice is fine, as in S3
        Assert.False(await store.ExistsAsync("list/a/1.bin", ct));
        Assert.Null(await store.GetInfoAsync("list/a/1.bin", ct));
        await Assert.ThrowsAsync<BlobNotFoundException>(() => store.OpenReadAsync("list/a/1.bin", cancellationToken: ct));
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("/absolute")]
    [InlineData("a/../../b")]
    [InlineData("Upper/Case")]
    [InlineData("a//b")]
    [InlineData("")]
    public async Task Unsafe_keys_are_refused_before_touching_storage(string key)
    {
        var store = CreateStore();
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(key, new MemoryStream([1]), cancellationToken: TestContext.Current.CancellationToken));
    }

    private static async Task<List<string>> Keys(IBlobStore store, string prefix)
    {
        var keys = new List<string>();
        await foreach (var info in store.ListAsync(prefix, TestContext.Current.CancellationToken)) keys.Add(info.Key);
        return keys;
    }

    private static async Task<byte[]> ReadAllAsync(IBlobStore store, string key, ByteRange? range = null)
    {
        await using var stream = await store.OpenReadAsync(key, range, TestContext.Current.CancellationToken);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, TestContext.Current.CancellationToken);
        return buffer.ToArray();
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}

public sealed class FileSystemBlobStoreTests : BlobStoreContractTests, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "halflife-blobs-" + Guid.NewGuid().ToString("N"));

    protected override IBlobStore CreateStore() => new FileSystemBlobStore(_root);

    [Fact]
    public async Task A_failed_write_leaves_no_blob_behind()
    {
        var store = CreateStore();
        await Assert.ThrowsAsync<IOException>(() => store.PutAsync("t/broken.bin", new FailingStream(), cancellationToken: TestContext.Current.CancellationToken));
        Assert.False(await store.ExistsAsync("t/broken.bin", TestContext.Current.CancellationToken));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "t")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private sealed class FailingStream : MemoryStream
    {
        private int _reads;
        public FailingStream() : base(new byte[100_000]) { }
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ++_reads > 1 ? throw new IOException("connection dropped") : base.ReadAsync(buffer, cancellationToken);
    }
}

[Trait("Category", "Integration")]
public sealed class S3BlobStoreTests : BlobStoreContractTests
{
    protected override IBlobStore CreateStore()
    {
        var store = new S3BlobStore(new S3BlobStoreOptions
        {
            ServiceUrl = TestServers.S3Url, Bucket = "halflife-tests", AccessKey = "S3RVER", SecretKey = "S3RVER",
            KeyPrefix = "run-" + Guid.NewGuid().ToString("N")[..12],
        });
        store.EnsureBucketAsync(TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        return store;
    }
}
