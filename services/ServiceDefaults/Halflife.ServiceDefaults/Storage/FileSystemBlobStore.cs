using System.Runtime.CompilerServices;

namespace Halflife.ServiceDefaults.Storage;

/// <summary>
/// The embedded default: blobs are files under one folder. Writes go to a temporary file that is renamed into place,
/// so a reader never sees a half-written blob and a crash leaves no corrupt object behind.
/// </summary>
public sealed class FileSystemBlobStore : IBlobStore
{
    private const string TempSuffix = ".partial";
    private readonly string _root;

    public FileSystemBlobStore(string rootPath)
    {
        _root = Path.GetFullPath(rootPath);
        Directory.CreateDirectory(_root);
    }

    public async Task<BlobInfo> PutAsync(string key, Stream content, string? contentType = null, CancellationToken cancellationToken = default)
    {
        var path = PathFor(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}{TempSuffix}";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, 81920, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return Describe(key, new FileInfo(path), contentType);
    }

    public async Task<BlobInfo> PutFileAsync(string key, string path, string? contentType = null, CancellationToken cancellationToken = default)
    {
        var target = PathFor(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await using (var source = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            source.Flush(flushToDisk: true);
        try
        {
            // Same disk: a rename is atomic and writes nothing again.
            File.Move(path, target, overwrite: true);
        }
        catch (IOException)
        {
            await using (var source = File.OpenRead(path))
                await PutAsync(key, source, contentType, cancellationToken);
            File.Delete(path);
        }
        return Describe(key, new FileInfo(target), contentType);
    }

    public Task<Stream> OpenReadAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        var path = PathFor(key);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BlobNotFoundException(key);
        }
        if (range is not { } r) return Task.FromResult<Stream>(file);
        var offset = Math.Min(r.Offset, file.Length);
        file.Seek(offset, SeekOrigin.Begin);
        var length = Math.Min(r.Length ?? long.MaxValue, file.Length - offset);
        return Task.FromResult<Stream>(new BoundedReadStream(file, length));
    }

    public Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default)
    {
        var info = new FileInfo(PathFor(key));
        return Task.FromResult(info.Exists ? Describe(key, info, null) : null);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(File.Exists(PathFor(key)));

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BlobKey.ValidatePrefix(prefix);
        // List from the deepest folder the prefix names, then filter: prefixes need not end on a '/'.
        var folderPart = prefix.Contains('/') ? prefix[..prefix.LastIndexOf('/')] : "";
        var folder = Path.Combine(_root, folderPart);
        if (!Directory.Exists(folder)) yield break;
        var keys = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(p => !p.EndsWith(TempSuffix, StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(_root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = new FileInfo(Path.Combine(_root, key));
            if (info.Exists) yield return Describe(key, info, null);
            await Task.Yield();
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        File.Delete(PathFor(key));
        return Task.CompletedTask;
    }

    private string PathFor(string key)
    {
        BlobKey.Validate(key);
        var path = Path.GetFullPath(Path.Combine(_root, key));
        // Defence in depth: the key rules already forbid '..', but never trust one check with patient data.
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"Blob key '{key}' escapes the store.", nameof(key));
        return path;
    }

    private static BlobInfo Describe(string key, FileInfo info, string? contentType) =>
        new(key, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero), contentType);
}
