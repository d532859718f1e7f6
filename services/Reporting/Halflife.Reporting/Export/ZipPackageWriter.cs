using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Halflife.Reporting.Export;

/// <summary>
/// The export's zip, written entry by entry straight to disk (ZipArchiveMode.Create streams), with a manifest of
/// every file's SHA-256 and size as manifest.csv and manifest.json. The manifest lines go to temp files as entries
/// are added, so memory stays flat however many files there are.
/// </summary>
public sealed class ZipPackageWriter : IAsyncDisposable
{
    private readonly FileStream _file;
    private readonly ZipArchive _zip;
    private readonly StreamWriter _manifestCsv;
    private readonly FileStream _manifestJsonFile;
    private readonly Utf8JsonWriter _manifestJson;
    private readonly string _csvPath;
    private readonly string _jsonPath;

    public ZipPackageWriter(string path, string workFolder)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write);
        _zip = new ZipArchive(_file, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);
        _csvPath = Path.Combine(workFolder, "manifest.csv.part");
        _jsonPath = Path.Combine(workFolder, "manifest.json.part");
        _manifestCsv = new StreamWriter(_csvPath, false, new UTF8Encoding(false));
        _manifestCsv.Write("path,sha256,bytes,pair_id,role,sop_instance_uid\r\n");
        _manifestJsonFile = new FileStream(_jsonPath, FileMode.Create, FileAccess.Write);
        _manifestJson = new Utf8JsonWriter(_manifestJsonFile, new JsonWriterOptions { Indented = true });
        _manifestJson.WriteStartObject();
        _manifestJson.WriteString("algorithm", "sha256");
        _manifestJson.WriteStartArray("files");
    }

    public int Files { get; private set; }

    public async Task AddAsync(string entryName, Stream content, string? pairId, string? role, string? sopInstanceUid, CancellationToken ct)
    {
        var entry = _zip.CreateEntry(entryName, CompressionLevel.Fastest);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        await using (var target = entry.Open())
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await content.ReadAsync(buffer, ct)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
                length += read;
            }
        }
        var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        await _manifestCsv.WriteAsync(string.Join(',', Csv(entryName), sha, length.ToString(CultureInfo.InvariantCulture),
            Csv(pairId), Csv(role), Csv(sopInstanceUid)) + "\r\n");
        _manifestJson.WriteStartObject();
        _manifestJson.WriteString("path", entryName);
        _manifestJson.WriteString("sha256", sha);
        _manifestJson.WriteNumber("bytes", length);
        if (pairId is not null) _manifestJson.WriteString("pairId", pairId);
        if (role is not null) _manifestJson.WriteString("role", role);
        if (sopInstanceUid is not null) _manifestJson.WriteString("sopInstanceUid", sopInstanceUid);
        _manifestJson.WriteEndObject();
        Files++;
    }

    public async Task AddFileAsync(string entryName, string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        await AddAsync(entryName, stream, null, "table", null, ct);
    }

    /// <summary>Writes the manifests into the zip and closes it.</summary>
    public async Task CompleteAsync(CancellationToken ct)
    {
        _manifestJson.WriteEndArray();
        _manifestJson.WriteNumber("count", Files);
        _manifestJson.WriteEndObject();
        await _manifestJson.FlushAsync(ct);
        await _manifestJson.DisposeAsync();
        await _manifestJsonFile.DisposeAsync();
        await _manifestCsv.DisposeAsync();
        foreach (var (name, path) in new[] { ("manifest.csv", _csvPath), ("manifest.json", _jsonPath) })
        {
            var entry = _zip.CreateEntry(name, CompressionLevel.Fastest);
            await using var target = entry.Open();
            await using var source = File.OpenRead(path);
            await source.CopyToAsync(target, ct);
        }
        _zip.Dispose();
        await _file.DisposeAsync();
        File.Delete(_csvPath);
        File.Delete(_jsonPath);
    }

    private static string Csv(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    public async ValueTask DisposeAsync()
    {
        // After CompleteAsync these are already closed; on failure they are closed here and the work folder removed by the caller.
        await _manifestJson.DisposeAsync();
        await _manifestJsonFile.DisposeAsync();
        await _manifestCsv.DisposeAsync();
        _zip.Dispose();
        await _file.DisposeAsync();
    }
}
