using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Halflife.Inference;
using SessionOptions = Halflife.Inference.SessionOptions;
using Halflife.Models.Cards;

namespace Halflife.Models.Registry;

/// <summary>
/// A model version collected in a private local folder (from an upload or a seed folder) and checked before the
/// registry stores it: the card keeps the schema, ONNX Runtime loads the file with its external data, and the card
/// matches the graph. Disposing deletes the folder.
/// </summary>
public sealed partial class StagedModel : IDisposable
{
    public const string ModelFileName = "model.onnx";
    private readonly List<StagedFile> _dataFiles = [];
    private readonly bool _ownsFolder;

    private StagedModel(string folder, bool ownsFolder)
    {
        Folder = folder;
        _ownsFolder = ownsFolder;
    }

    public string Folder { get; }
    public byte[]? CardJson { get; private set; }
    public ModelCard? Card { get; private set; }
    public StagedFile? Model { get; private set; }
    public IReadOnlyList<StagedFile> DataFiles => _dataFiles;

    public static StagedModel Create(string parentFolder)
    {
        var folder = Path.Combine(parentFolder, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return new StagedModel(folder, ownsFolder: true);
    }

    /// <summary>
    /// A model as the repository keeps it (models/bone-restore): a card (model-card.json or card.json), the ONNX
    /// file its "file" property names (else the only *.onnx), and any other file as external data.
    /// </summary>
    public static async Task<StagedModel> FromFolderAsync(string folder, CancellationToken cancellationToken)
    {
        var cardPath = new[] { "model-card.json", "card.json" }.Select(f => Path.Combine(folder, f)).FirstOrDefault(File.Exists)
                       ?? throw new FileNotFoundException($"{folder} has no model-card.json or card.json.");
        var staged = new StagedModel(folder, ownsFolder: false);
        staged.SetCard(await File.ReadAllBytesAsync(cardPath, cancellationToken));
        var onnx = Directory.GetFiles(folder, "*.onnx");
        var named = CardFileProperty(staged.CardJson!);
        var modelPath = named is not null ? Path.Combine(folder, Path.GetFileName(named))
            : onnx.Length == 1 ? onnx[0] : throw new FileNotFoundException($"{folder}: expected one *.onnx file, found {onnx.Length}.");
        staged.Model = await StagedFile.HashAsync(Path.GetFileName(modelPath), modelPath, cancellationToken);
        foreach (var data in Directory.GetFiles(folder).Where(f => f != cardPath && f != modelPath && !f.EndsWith(".md", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            staged._dataFiles.Add(await StagedFile.HashAsync(Path.GetFileName(data), data, cancellationToken));
        return staged;
    }

    public void SetCard(byte[] json)
    {
        CardJson = json;
        Card = null; // parsed (and validated) in Validate, together with everything else
    }

    /// <summary>Streams the ONNX file into the folder, hashing it and enforcing <paramref name="limit"/>.</summary>
    public async Task AddModelAsync(Stream content, long limit, CancellationToken cancellationToken)
    {
        if (Model is not null) throw new ModelValidationException(["the upload carries more than one model file"]);
        Model = await StagedFile.CopyAsync(ModelFileName, content, Path.Combine(Folder, ModelFileName), limit, cancellationToken);
    }

    /// <summary>Streams an external data file; its name must be the one the ONNX graph refers to.</summary>
    public async Task AddDataFileAsync(string fileName, Stream content, long limit, int maxFiles, CancellationToken cancellationToken)
    {
        if (!SafeFileName().IsMatch(fileName) || fileName == ModelFileName)
            throw new ModelValidationException([$"external data file name '{fileName}' is not allowed (letters, digits, '.', '_', '-'; not {ModelFileName})"]);
        if (_dataFiles.Any(f => f.FileName == fileName)) throw new ModelValidationException([$"external data file '{fileName}' appears twice"]);
        if (_dataFiles.Count >= maxFiles) throw new ModelValidationException([$"more than {maxFiles} external data files"]);
        _dataFiles.Add(await StagedFile.CopyAsync(fileName, content, Path.Combine(Folder, fileName), limit, cancellationToken));
    }

    /// <summary>Parses the card and loads the model in ONNX Runtime; throws with every problem found.</summary>
    public ModelCard Validate()
    {
        if (CardJson is null) throw new ModelValidationException(["the upload has no card (a part named \"card\" with the model card JSON)"]);
        if (Model is null) throw new ModelValidationException(["the upload has no model (a part named \"model\" with the ONNX file)"]);
        var card = ModelCard.Parse(CardJson);
        InferenceSession session;
        try
        {
            // From a path ONNX Runtime finds external data beside the file, under the names the graph records.
            using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
            session = new InferenceSession(Model.Path, options);
        }
        catch (Exception e) when (e is OnnxRuntimeException or ArgumentException)
        {
            throw new ModelValidationException([$"ONNX Runtime cannot load the model: {e.Message}"]);
        }
        using (session)
        {
            var errors = ModelCompatibility.Check(card, session);
            if (errors.Count > 0) throw new ModelValidationException(errors);
        }
        Card = card;
        return card;
    }

    private static string? CardFileProperty(byte[] json)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                   && document.RootElement.TryGetProperty("file", out var file) && file.ValueKind == System.Text.Json.JsonValueKind.String
                ? file.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // Validate reports the malformed card
        }
    }

    public void Dispose()
    {
        if (!_ownsFolder) return;
        try { Directory.Delete(Folder, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex SafeFileName();
}

/// <summary>A file in a staging folder with its SHA-256 and size.</summary>
public sealed record StagedFile(string FileName, string Path, string Sha256, long SizeBytes)
{
    public static async Task<StagedFile> CopyAsync(string fileName, Stream content, string path, long limit, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
        {
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
                if (total > limit) throw new ModelTooLargeException($"'{fileName}' is larger than the limit of {limit} bytes (Models:MaxModelBytes).");
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        if (total == 0) throw new ModelValidationException([$"'{fileName}' is empty"]);
        return new StagedFile(fileName, path, Convert.ToHexStringLower(hash.GetHashAndReset()), total);
    }

    public static async Task<StagedFile> HashAsync(string fileName, string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        var sha = await SHA256.HashDataAsync(file, cancellationToken);
        return new StagedFile(fileName, path, Convert.ToHexStringLower(sha), file.Length);
    }
}
