namespace Halflife.Imaging.Tiles;

/// <summary>
/// Keeps a few recent large composited reads. The smallest Deep Zoom levels each fit in one tile
/// and all read the same whole slide level (for a single-level slide, all of level 0), so without
/// this every one of them decodes the full level again; with it they share one read and differ only
/// in the resampling. Concurrent requests for one region wait for a single read. Bounded by bytes.
/// </summary>
public sealed class LargeRegionCache
{
    /// <summary>Reads smaller than this are cheap next to their bookkeeping and are not kept.</summary>
    public const long MinimumPixels = 1024 * 1024;

    private readonly long _capacityBytes;
    private readonly Lock _gate = new();
    private readonly Dictionary<(object Owner, TileRegion Region), Lazy<byte[]>> _entries = [];
    private readonly LinkedList<(object Owner, TileRegion Region)> _recency = new(); // most recent first
    private long _sizeBytes;

    public LargeRegionCache(long capacityBytes = 64L * 1024 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        _capacityBytes = capacityBytes;
    }

    public long Reads { get; private set; }

    /// <summary>True when a read of this region should go through the cache.</summary>
    public bool Worthwhile(TileRegion region)
    {
        var bytes = (long)region.ReadWidth * region.ReadHeight * 4;
        return (long)region.ReadWidth * region.ReadHeight >= MinimumPixels && bytes <= _capacityBytes;
    }

    /// <summary>
    /// The composited pixels of <paramref name="region"/> read by <paramref name="read"/> at most once
    /// while cached. Callers must not modify the returned array.
    /// </summary>
    public byte[] GetOrRead(object owner, TileRegion region, Func<byte[]> read)
    {
        var key = (owner, region with { TileWidth = 0, TileHeight = 0 });
        Lazy<byte[]> entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out entry!))
            {
                entry = new Lazy<byte[]>(read, LazyThreadSafetyMode.ExecutionAndPublication);
                _entries[key] = entry;
                _sizeBytes += (long)region.ReadWidth * region.ReadHeight * 4;
                Reads++;
            }

            _recency.Remove(key);
            _recency.AddFirst(key);
            while (_sizeBytes > _capacityBytes && _recency.Last is { } oldest && !oldest.Value.Equals(key))
            {
                Remove(oldest.Value);
            }
        }

        try
        {
            return entry.Value;
        }
        catch
        {
            lock (_gate)
            {
                if (_entries.TryGetValue(key, out var current) && ReferenceEquals(current, entry))
                {
                    Remove(key); // never keep a failed read
                }
            }

            throw;
        }
    }

    private void Remove((object Owner, TileRegion Region) key)
    {
        _entries.Remove(key);
        _recency.Remove(key);
        _sizeBytes -= (long)key.Region.ReadWidth * key.Region.ReadHeight * 4;
    }
}
