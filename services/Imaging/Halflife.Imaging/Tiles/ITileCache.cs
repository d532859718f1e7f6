namespace Halflife.Imaging.Tiles;

/// <summary>
/// Identifies one encoded tile. <paramref name="Variant"/> carries whatever changes the bytes
/// besides the address (tile size, overlap, bounds, format, quality) so differently configured
/// pyramids of one slide never share entries.
/// </summary>
public readonly record struct TileCacheKey(string SlideId, int Level, int Column, int Row, string Variant);

/// <summary>
/// A store of encoded tiles. Implementations must be thread-safe and must call the renderer at
/// most once per key at a time (concurrent misses wait for the one render). Tiers compose by
/// decoration: a memory cache whose renderer asks a blob-store cache, whose renderer draws the tile.
/// </summary>
public interface ITileCache
{
    ValueTask<byte[]> GetOrAddAsync(TileCacheKey key, Func<TileCacheKey, CancellationToken, ValueTask<byte[]>> render, CancellationToken cancellationToken = default);

    /// <summary>Drops every tile of a slide (after the slide is replaced or deleted).</summary>
    void InvalidateSlide(string slideId);
}
