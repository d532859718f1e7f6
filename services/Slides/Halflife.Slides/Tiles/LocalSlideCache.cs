using System.Collections.Concurrent;
using Halflife.Imaging.Slides;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Storage;
using Halflife.Slides.Catalogue;
using Microsoft.Extensions.Options;
using Halflife.Slides.Upload;

namespace Halflife.Slides.Tiles;

/// <summary>
/// OpenSlide needs a real file path, the blob store may be S3: slides are copied down to a folder under the data
/// directory on first use and evicted oldest-used-first beyond a size budget. Store-agnostic on purpose, so the
/// folder store and S3 behave the same. Also the <see cref="ISlideLocator"/> of the tile service: it only ever
/// answers with files already here (the async <see cref="EnsureAsync"/> runs before any tile call).
/// </summary>
public sealed class LocalSlideCache(IBlobStore blobs, IOptions<HalflifeOptions> halflife, IOptions<SlidesOptions> options, ILogger<LocalSlideCache> logger)
    : ISlideLocator
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _downloads = new();
    // Known local paths, so a tile request costs one stat, not a directory scan; access times are touched at most once
    // a minute (they drive eviction, which does not need more precision).
    private readonly ConcurrentDictionary<string, (string Path, DateTime Touched)> _known = new(StringComparer.Ordinal);

    /// <summary>Evicted slide ids, so the tile service can close them (set by the module after construction).</summary>
    public event Action<string>? Evicted;

    private string Folder
    {
        get
        {
            var folder = halflife.Value.ResolveDataPath(Path.Combine("slides", "cache"));
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    public static string IdOf(Guid slideId) => slideId.ToString("N");

    public string? FindSlidePath(string slideId)
    {
        if (!Guid.TryParseExact(slideId, "N", out _)) return null;
        var now = DateTime.UtcNow;
        if (_known.TryGetValue(slideId, out var known) && File.Exists(known.Path))
        {
            if (now - known.Touched > TimeSpan.FromMinutes(1)) Touch(slideId, known.Path, now);
            return known.Path;
        }
        var path = Directory.EnumerateFiles(Folder, slideId + ".*").FirstOrDefault(f => !f.EndsWith(".download", StringComparison.Ordinal));
        if (path is null) _known.TryRemove(slideId, out _);
        else Touch(slideId, path, now);
        return path;
    }

    /// <summary>Takes over a freshly uploaded file (a move, no second copy of a large slide).</summary>
    public void Adopt(Slide slide, string path)
    {
        File.Move(path, Target(slide), overwrite: true);
        Trim(IdOf(slide.Id));
    }

    public async Task<string> EnsureAsync(Slide slide, CancellationToken cancellationToken)
    {
        var id = IdOf(slide.Id);
        if (FindSlidePath(id) is { } existing) return existing;
        var gate = _downloads.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (FindSlidePath(id) is { } raced) return raced;
            var target = Target(slide);
            var temp = target + ".download";
            await using (var source = await blobs.OpenReadAsync(slide.BlobKey, cancellationToken: cancellationToken))
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
                await source.CopyToAsync(file, 1 << 20, cancellationToken);
            File.Move(temp, target, overwrite: true);
            logger.LogInformation("Slide {Id} copied to the local slide cache", slide.Id);
            Trim(id);
            return target;
        }
        finally
        {
            gate.Release();
        }
    }

    private void Touch(string slideId, string path, DateTime now)
    {
        try
        {
            File.SetLastAccessTimeUtc(path, now);
        }
        catch (IOException)
        {
            // Evicted at this moment: the next call finds it missing.
        }
        _known[slideId] = (path, now);
    }

    public void Remove(Guid slideId)
    {
        _known.TryRemove(IdOf(slideId), out _);
        foreach (var file in Directory.EnumerateFiles(Folder, IdOf(slideId) + ".*")) File.Delete(file);
    }

    private string Target(Slide slide) => Path.Combine(Folder, IdOf(slide.Id) + SlideFileSniffer.ExtensionFor(slide.FileName));

    private void Trim(string keep)
    {
        var files = new DirectoryInfo(Folder).GetFiles().Where(f => f.Extension != ".download").OrderBy(f => f.LastAccessTimeUtc).ToList();
        var total = files.Sum(f => f.Length);
        foreach (var file in files)
        {
            if (total <= options.Value.SlideCacheBytes) break;
            var id = Path.GetFileNameWithoutExtension(file.Name);
            if (id == keep) continue;
            total -= file.Length;
            // On Linux an open slide keeps reading the unlinked inode; the tile service is told to close it anyway.
            file.Delete();
            _known.TryRemove(id, out _);
            Evicted?.Invoke(id);
        }
    }
}
