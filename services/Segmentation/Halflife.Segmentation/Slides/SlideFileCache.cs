using System.Collections.Concurrent;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Storage;
using Microsoft.Extensions.Options;

namespace Halflife.Segmentation.Slides;

/// <summary>
/// OpenSlide needs a file path and the blob store may be S3: a worker copies a slide down once, under its blob key
/// (content-addressed, so a cached copy never goes stale), and evicts the oldest-used copies beyond a size budget.
/// </summary>
public sealed class SlideFileCache(IBlobStore blobs, IOptions<HalflifeOptions> halflife, IOptions<SegmentationOptions> options, ILogger<SlideFileCache> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _downloads = new(StringComparer.Ordinal);

    private string Folder
    {
        get
        {
            var folder = halflife.Value.ResolveDataPath(Path.Combine("segmentation", "slides"));
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    /// <summary>The local path of the slide stored as <paramref name="blobKey"/>, copying it down first if needed.</summary>
    /// <exception cref="BlobNotFoundException">The slide is no longer in the blob store (deleted).</exception>
    public async Task<string> EnsureAsync(string blobKey, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Folder, FileNameOf(blobKey));
        if (File.Exists(path))
        {
            Touch(path);
            return path;
        }
        var gate = _downloads.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(path)) return path;
            var temp = path + ".download";
            await using (var source = await blobs.OpenReadAsync(blobKey, cancellationToken: cancellationToken))
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
                await source.CopyToAsync(file, 1 << 20, cancellationToken);
            File.Move(temp, path, overwrite: true);
            logger.LogInformation("Slide {BlobKey} copied to the segmentation slide cache", blobKey);
            Trim(path);
            return path;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>A flat, path-safe file name that keeps the extension (OpenSlide's format detection looks at it for some vendors).</summary>
    internal static string FileNameOf(string blobKey)
    {
        var extension = Path.GetExtension(blobKey);
        if (extension.Length > 8 || extension.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '.')) extension = "";
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(blobKey)));
        return hash[..32] + extension;
    }

    private static void Touch(string path)
    {
        try
        {
            File.SetLastAccessTimeUtc(path, DateTime.UtcNow);
        }
        catch (IOException)
        {
            // Evicted at this moment by another job: the open that follows fails and the job reports it.
        }
    }

    private void Trim(string keep)
    {
        var files = new DirectoryInfo(Folder).GetFiles().Where(f => f.Extension != ".download").OrderBy(f => f.LastAccessTimeUtc).ToList();
        var total = files.Sum(f => f.Length);
        foreach (var file in files)
        {
            if (total <= options.Value.SlideCacheBytes) break;
            if (file.FullName == keep) continue;
            total -= file.Length;
            // On Linux a job that has the slide open keeps reading the unlinked file.
            file.Delete();
        }
    }
}
