using System.Collections.Concurrent;
using System.Globalization;
using Halflife.Imaging.Codecs;
using Halflife.Imaging.Slides;

namespace Halflife.Imaging.Tiles;

/// <summary>
/// The entry point an HTTP layer needs: slide id -> .dzi descriptor, and (slide id, level, column,
/// row) -> JPEG bytes through an <see cref="ITileCache"/>. Keeps a bounded set of slides open
/// (opening parses the whole TIFF directory, far too slow per request). Thread-safe.
/// </summary>
/// <remarks>
/// Errors: <see cref="SlideNotFoundException"/> and <see cref="TileOutOfRangeException"/> mean 404;
/// <see cref="SlideFormatException"/> means the stored slide is unreadable (422 or 500 by policy).
/// </remarks>
public sealed class DeepZoomTileService : IDisposable
{
    private readonly ISlideLocator _locator;
    private readonly ITileCache _cache;
    private readonly DeepZoomOptions _options;
    private readonly int _maxOpenSlides;
    private readonly string _variant;
    private readonly LargeRegionCache _largeRegions = new();
    private readonly ConcurrentDictionary<string, Lazy<OpenSlide>> _open = new(StringComparer.Ordinal);
    private long _clock;

    public DeepZoomTileService(ISlideLocator locator, ITileCache cache, DeepZoomOptions? options = null, int maxOpenSlides = 32)
    {
        ArgumentNullException.ThrowIfNull(locator);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxOpenSlides);
        _locator = locator;
        _cache = cache;
        _options = options ?? new DeepZoomOptions();
        _options.Validate();
        _maxOpenSlides = maxOpenSlides;
        _variant = string.Create(CultureInfo.InvariantCulture,
            $"jpeg/q{_options.JpegQuality}/t{_options.TileSize}/o{_options.Overlap}/b{(_options.LimitBounds ? 1 : 0)}");
    }

    public string GetDzi(string slideId)
    {
        using var lease = Acquire(slideId);
        return lease.Slide.Generator.GetDzi("jpeg");
    }

    /// <summary>
    /// The slide's generator, for metadata and geometry. Render through <see cref="GetTileJpegAsync"/>:
    /// a generator kept past the slide's eviction from the open set can no longer read pixels.
    /// </summary>
    public DeepZoomGenerator Generator(string slideId)
    {
        using var lease = Acquire(slideId);
        return lease.Slide.Generator;
    }

    /// <summary>
    /// The slide's metadata (levels, microns per pixel, vendor, properties, associated image names).
    /// Read metadata only: pixel reads on the returned object fail once the slide is evicted from the open set.
    /// </summary>
    public WholeSlideImage Describe(string slideId)
    {
        using var lease = Acquire(slideId);
        return lease.Slide.Image;
    }

    /// <summary>A PNG of a stored associated image ("thumbnail", "label", "macro"), cached like tiles.</summary>
    /// <exception cref="KeyNotFoundException">The slide has no such associated image.</exception>
    public ValueTask<byte[]> GetAssociatedImagePngAsync(string slideId, string name, CancellationToken cancellationToken = default)
    {
        if (!Describe(slideId).AssociatedImageNames.Contains(name))
        {
            throw new KeyNotFoundException($"Slide '{slideId}' has no associated image '{name}'.");
        }

        return _cache.GetOrAddAsync(new TileCacheKey(slideId, -1, 0, 0, "png/associated/" + name), (key, _) =>
        {
            using var lease = Acquire(key.SlideId);
            return ValueTask.FromResult(PngEncoder.Encode(lease.Slide.Image.ReadAssociatedImage(name)));
        }, cancellationToken);
    }

    /// <summary>A PNG overview no larger than <paramref name="maxSize"/> square, for any slide (see <see cref="WholeSlideImage.GetThumbnail"/>).</summary>
    public ValueTask<byte[]> GetThumbnailPngAsync(string slideId, int maxSize = 512, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSize, 4096);
        return _cache.GetOrAddAsync(new TileCacheKey(slideId, -2, maxSize, maxSize, "png/thumbnail"), (key, _) =>
        {
            using var lease = Acquire(key.SlideId);
            return ValueTask.FromResult(PngEncoder.Encode(lease.Slide.Image.GetThumbnail(maxSize, maxSize)));
        }, cancellationToken);
    }

    public ValueTask<byte[]> GetTileJpegAsync(string slideId, int level, int column, int row, CancellationToken cancellationToken = default)
    {
        var address = new TileAddress(level, column, row);

        // Validate before touching the cache so out-of-range requests cost no render slot.
        Generator(slideId).Geometry.GetTileRegion(address);
        return _cache.GetOrAddAsync(new TileCacheKey(slideId, level, column, row, _variant), RenderAsync, cancellationToken);
    }

    /// <summary>Closes the slide and drops its tiles (call when the slide file is replaced or deleted).</summary>
    public void Forget(string slideId)
    {
        if (_open.TryRemove(slideId, out var entry) && entry.IsValueCreated)
        {
            entry.Value.Evict();
        }

        _cache.InvalidateSlide(slideId);
    }

    public void Dispose()
    {
        foreach (var id in _open.Keys)
        {
            Forget(id);
        }
    }

    private ValueTask<byte[]> RenderAsync(TileCacheKey key, CancellationToken cancellationToken)
    {
        using var lease = Acquire(key.SlideId);
        return ValueTask.FromResult(lease.Slide.Generator.RenderTileJpeg(new TileAddress(key.Level, key.Column, key.Row)));
    }

    private Lease Acquire(string slideId)
    {
        ArgumentNullException.ThrowIfNull(slideId);
        while (true)
        {
            var lazy = _open.GetOrAdd(slideId, id => new Lazy<OpenSlide>(() => Open(id)));
            OpenSlide slide;
            try
            {
                slide = lazy.Value;
            }
            catch
            {
                _open.TryRemove(new KeyValuePair<string, Lazy<OpenSlide>>(slideId, lazy)); // don't remember failures
                throw;
            }

            if (!slide.TryLease())
            {
                // Evicted between lookup and lease: drop the stale entry and open afresh.
                _open.TryRemove(new KeyValuePair<string, Lazy<OpenSlide>>(slideId, lazy));
                continue;
            }

            slide.LastUsed = Interlocked.Increment(ref _clock);
            if (_open.Count > _maxOpenSlides)
            {
                EvictLeastRecentlyUsed(slideId);
            }

            return new Lease(slide);
        }
    }

    private OpenSlide Open(string slideId)
    {
        var path = _locator.FindSlidePath(slideId) ?? throw new SlideNotFoundException(slideId);
        var slide = WholeSlideImage.Open(path);
        try
        {
            return new OpenSlide(slide, new DeepZoomGenerator(slide, _options, _largeRegions));
        }
        catch
        {
            slide.Dispose();
            throw;
        }
    }

    private void EvictLeastRecentlyUsed(string keep)
    {
        var victim = _open
            .Where(e => e.Key != keep && e.Value.IsValueCreated)
            .OrderBy(e => e.Value.Value.LastUsed)
            .FirstOrDefault();
        if (victim.Value is not null && _open.TryRemove(victim))
        {
            victim.Value.Value.Evict();
        }
    }

    private readonly struct Lease(OpenSlide slide) : IDisposable
    {
        public OpenSlide Slide { get; } = slide;

        public void Dispose() => Slide.Release();
    }

    /// <summary>An open slide with a lease count: eviction closes it only once the last reader is done.</summary>
    private sealed class OpenSlide(WholeSlideImage slide, DeepZoomGenerator generator)
    {
        private readonly Lock _gate = new();
        private int _leases;
        private bool _evicted;

        public DeepZoomGenerator Generator { get; } = generator;

        public WholeSlideImage Image { get; } = slide;

        public long LastUsed { get; set; }

        public bool TryLease()
        {
            lock (_gate)
            {
                if (_evicted)
                {
                    return false;
                }

                _leases++;
                return true;
            }
        }

        public void Release()
        {
            lock (_gate)
            {
                if (--_leases == 0 && _evicted)
                {
                    Image.Dispose();
                }
            }
        }

        public void Evict()
        {
            lock (_gate)
            {
                _evicted = true;
                if (_leases == 0)
                {
                    Image.Dispose();
                }
            }
        }
    }
}
