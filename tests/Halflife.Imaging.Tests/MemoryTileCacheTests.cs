using Halflife.Imaging.Tiles;

namespace Halflife.Imaging.Tests;

public sealed class MemoryTileCacheTests
{
    private static TileCacheKey Key(int column, string slide = "s") => new(slide, 5, column, 0, "jpeg");

    private static Func<TileCacheKey, CancellationToken, ValueTask<byte[]>> Bytes(int length, Action? onRender = null) =>
        (_, _) =>
        {
            onRender?.Invoke();
            return ValueTask.FromResult(new byte[length]);
        };

    [Fact]
    public async Task Second_request_is_served_from_memory()
    {
        var cache = new MemoryTileCache(1_000_000);
        var renders = 0;

        var first = await cache.GetOrAddAsync(Key(1), Bytes(100, () => renders++), TestContext.Current.CancellationToken);
        var second = await cache.GetOrAddAsync(Key(1), Bytes(100, () => renders++), TestContext.Current.CancellationToken);

        Assert.Same(first, second);
        Assert.Equal(1, renders);
        Assert.Equal((1L, 1L), (cache.Hits, cache.Misses));
    }

    [Fact]
    public async Task Byte_budget_evicts_least_recently_used_first()
    {
        var entry = 1000 + MemoryTileCache.EntryOverheadBytes;
        var cache = new MemoryTileCache(3 * entry);
        var ct = TestContext.Current.CancellationToken;
        await cache.GetOrAddAsync(Key(1), Bytes(1000), ct);
        await cache.GetOrAddAsync(Key(2), Bytes(1000), ct);
        await cache.GetOrAddAsync(Key(3), Bytes(1000), ct);
        await cache.GetOrAddAsync(Key(1), Bytes(1000), ct); // 1 is now the most recent

        await cache.GetOrAddAsync(Key(4), Bytes(1000), ct);

        Assert.True(cache.TryGet(Key(1), out _));
        Assert.False(cache.TryGet(Key(2), out _));
        Assert.True(cache.TryGet(Key(3), out _));
        Assert.True(cache.TryGet(Key(4), out _));
        Assert.Equal(3 * entry, cache.SizeBytes);
        Assert.Equal(1, cache.Evictions);
    }

    [Fact]
    public async Task Tile_larger_than_the_budget_is_returned_but_not_kept()
    {
        var cache = new MemoryTileCache(500);

        var tile = await cache.GetOrAddAsync(Key(1), Bytes(10_000), TestContext.Current.CancellationToken);

        Assert.Equal(10_000, tile.Length);
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.SizeBytes);
    }

    [Fact]
    public async Task Concurrent_misses_on_one_key_render_once()
    {
        var cache = new MemoryTileCache(1_000_000);
        var renders = 0;
        var release = new TaskCompletionSource();
        async ValueTask<byte[]> SlowRender(TileCacheKey key, CancellationToken ct)
        {
            Interlocked.Increment(ref renders);
            await release.Task;
            return [1, 2, 3];
        }

        var waiting = Enumerable.Range(0, 32)
            .Select(_ => Task.Run(() => cache.GetOrAddAsync(Key(7), SlowRender, TestContext.Current.CancellationToken).AsTask()))
            .ToArray();
        await Task.Delay(100, TestContext.Current.CancellationToken);
        release.SetResult();
        var results = await Task.WhenAll(waiting);

        Assert.Equal(1, renders);
        Assert.All(results, r => Assert.Same(results[0], r));
    }

    [Fact]
    public async Task Failed_render_is_not_cached_and_reaches_every_waiter()
    {
        var cache = new MemoryTileCache(1_000_000);
        var ct = TestContext.Current.CancellationToken;

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await cache.GetOrAddAsync(Key(1), (_, _) => throw new InvalidOperationException("decode failed"), ct));
        var retried = await cache.GetOrAddAsync(Key(1), Bytes(10), ct);

        Assert.Equal(10, retried.Length);
        Assert.Equal(2, cache.Misses);
    }

    [Fact]
    public async Task A_waiter_that_cancels_does_not_cancel_the_render_for_others()
    {
        var cache = new MemoryTileCache(1_000_000);
        var release = new TaskCompletionSource();
        using var cancel = new CancellationTokenSource();
        async ValueTask<byte[]> SlowRender(TileCacheKey key, CancellationToken ct)
        {
            await release.Task;
            return [9];
        }

        var impatient = cache.GetOrAddAsync(Key(1), SlowRender, cancel.Token).AsTask();
        var patient = cache.GetOrAddAsync(Key(1), SlowRender, TestContext.Current.CancellationToken).AsTask();
        await cancel.CancelAsync();
        release.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        Assert.Equal([9], await patient);
        Assert.True(cache.TryGet(Key(1), out _));
    }

    [Fact]
    public async Task Invalidating_a_slide_drops_only_its_tiles()
    {
        var cache = new MemoryTileCache(1_000_000);
        var ct = TestContext.Current.CancellationToken;
        await cache.GetOrAddAsync(Key(1, "a"), Bytes(10), ct);
        await cache.GetOrAddAsync(Key(2, "a"), Bytes(10), ct);
        await cache.GetOrAddAsync(Key(1, "b"), Bytes(10), ct);

        cache.InvalidateSlide("a");

        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet(Key(1, "b"), out _));
        Assert.Equal(10 + MemoryTileCache.EntryOverheadBytes, cache.SizeBytes);
    }
}
