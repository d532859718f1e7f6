using System.Collections.Concurrent;

namespace Halflife.Imaging.Tiles;

/// <summary>
/// In-process LRU tile cache bounded by bytes, not entries: tiles vary from a few hundred bytes
/// (blank background) to tens of kilobytes. Concurrent misses on one key share a single render
/// (single-flight), so a viewer opening a slide in many tabs does not render each tile many times.
/// Failed renders are not cached.
/// </summary>
public sealed class MemoryTileCache : ITileCache
{
    // Rough per-entry cost of the key, node and dictionary slot, so many tiny tiles still count.
    internal const int EntryOverheadBytes = 128;

    private readonly long _capacityBytes;
    private readonly object _gate = new();
    private readonly Dictionary<TileCacheKey, LinkedListNode<(TileCacheKey Key, byte[] Value)>> _entries = [];
    private readonly LinkedList<(TileCacheKey Key, byte[] Value)> _recency = new(); // most recent first
    private readonly ConcurrentDictionary<TileCacheKey, Lazy<Task<byte[]>>> _inFlight = new();
    private long _sizeBytes;
    private long _hits;
    private long _misses;
    private long _evictions;

    public MemoryTileCache(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        _capacityBytes = capacityBytes;
    }

    public long CapacityBytes => _capacityBytes;

    public long SizeBytes => Interlocked.Read(ref _sizeBytes);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Renders started (concurrent requests that joined a render in flight are not counted).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    public long Evictions => Interlocked.Read(ref _evictions);

    public ValueTask<byte[]> GetOrAddAsync(TileCacheKey key, Func<TileCacheKey, CancellationToken, ValueTask<byte[]>> render, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(render);
        if (TryGet(key, out var cached))
        {
            Interlocked.Increment(ref _hits);
            return ValueTask.FromResult(cached);
        }

        var flight = _inFlight.GetOrAdd(key, k => new Lazy<Task<byte[]>>(() => RenderAndStoreAsync(k, render)));
        var task = flight.Value;

        // One caller giving up must not cancel the render others are waiting for, hence WaitAsync.
        return task.IsCompleted ? new ValueTask<byte[]>(task) : new ValueTask<byte[]>(task.WaitAsync(cancellationToken));
    }

    public bool TryGet(TileCacheKey key, out byte[] value)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                value = node.Value.Value;
                return true;
            }
        }

        value = [];
        return false;
    }

    public void InvalidateSlide(string slideId)
    {
        lock (_gate)
        {
            var node = _recency.First;
            while (node is not null)
            {
                var next = node.Next;
                if (node.Value.Key.SlideId == slideId)
                {
                    RemoveLocked(node);
                }

                node = next;
            }
        }
    }

    private async Task<byte[]> RenderAndStoreAsync(TileCacheKey key, Func<TileCacheKey, CancellationToken, ValueTask<byte[]>> render)
    {
        Interlocked.Increment(ref _misses);
        try
        {
            await Task.Yield(); // leave the GetOrAdd factory before rendering, so the Lazy never runs user code under its lock
            var value = await render(key, CancellationToken.None).ConfigureAwait(false);
            Store(key, value);
            return value;
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }

    private void Store(TileCacheKey key, byte[] value)
    {
        var cost = Cost(value);
        if (cost > _capacityBytes)
        {
            return; // would evict everything else and still not fit
        }

        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                RemoveLocked(existing);
            }

            var node = _recency.AddFirst((key, value));
            _entries[key] = node;
            _sizeBytes += cost;
            while (_sizeBytes > _capacityBytes && _recency.Last is { } oldest)
            {
                RemoveLocked(oldest);
                _evictions++;
            }
        }
    }

    private void RemoveLocked(LinkedListNode<(TileCacheKey Key, byte[] Value)> node)
    {
        _recency.Remove(node);
        _entries.Remove(node.Value.Key);
        _sizeBytes -= Cost(node.Value.Value);
    }

    private static long Cost(byte[] value) => value.LongLength + EntryOverheadBytes;
}
