using System.Security.Cryptography;
using Halflife.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace Halflife.Slides.Upload;

/// <summary>
/// The temp files of uploads in progress under the data directory. The file's length is the upload's offset, so a
/// dropped connection leaves exactly the bytes that arrived and the client resumes from there.
/// </summary>
public sealed class UploadArea(IOptions<HalflifeOptions> halflife, IOptions<SlidesOptions> options)
{
    private const int BufferSize = 1024 * 1024;

    public string Folder
    {
        get
        {
            var folder = halflife.Value.ResolveDataPath(Path.Combine("slides", "uploads"));
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    // The id is a Guid formatted by us: the client's file name never reaches the path.
    public string PathFor(Guid uploadId) => Path.Combine(Folder, uploadId.ToString("N") + ".part");

    public long OffsetOf(Guid uploadId)
    {
        var info = new FileInfo(PathFor(uploadId));
        return info.Exists ? info.Length : 0;
    }

    /// <summary>Appends one chunk at <paramref name="offset"/>, streaming; refuses a wrong offset or an oversized chunk.</summary>
    public async Task<long> AppendAsync(Guid uploadId, long offset, long declaredSize, Stream body, CancellationToken cancellationToken,
        long? chunkLimit = null)
    {
        FileStream file;
        try
        {
            // FileShare.None: a second concurrent PUT on the same upload fails here instead of interleaving bytes.
            file = new FileStream(PathFor(uploadId), FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
        }
        catch (IOException)
        {
            throw new UploadException(StatusCodes.Status409Conflict, "Another chunk of this upload is being written.", OffsetOf(uploadId));
        }

        await using (file)
        {
            if (file.Length != offset)
                throw new UploadException(StatusCodes.Status409Conflict, $"The upload is at offset {file.Length}, not {offset}.", file.Length);
            file.Seek(0, SeekOrigin.End);
            var chunkMax = chunkLimit ?? options.Value.MaxChunkBytes;
            var limit = Math.Min(chunkMax, declaredSize - offset);
            var buffer = new byte[81920];
            long written = 0;
            int read;
            try
            {
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    written += read;
                    if (written > limit)
                        throw new UploadException(StatusCodes.Status413PayloadTooLarge,
                            $"The chunk exceeds {limit} bytes (chunk limit {chunkMax}, declared size {declaredSize}).");
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            finally
            {
                // Whatever arrived before a drop is kept (flushed) so the client can resume after it.
                await file.FlushAsync(CancellationToken.None);
            }
            return file.Length;
        }
    }

    public static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }

    public void Discard(Guid uploadId) => File.Delete(PathFor(uploadId));
}
