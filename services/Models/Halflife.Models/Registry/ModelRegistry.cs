using System.Text.Json;
using Halflife.Models.Cards;
using Halflife.ServiceDefaults.Storage;

namespace Halflife.Models.Registry;

/// <summary>
/// The model registry in the blob store, shared by every service that runs models. Versions are immutable; which
/// version of a name is active is an append-only log of small blobs whose greatest key wins (docs/models.md says
/// why this and not a database row or a mutable pointer).
/// </summary>
public sealed class ModelRegistry(IBlobStore blobs, TimeProvider clock, ILogger<ModelRegistry> logger)
{
    private static readonly JsonSerializerOptions Json = ModelCard.Json;

    /// <summary>Raised in this process after an activation or deactivation, so caches here need not wait for a poll.</summary>
    public event Action<string>? ActivationChanged;

    /// <summary>Stores a validated staged version; record.json goes last so the version appears only when complete.</summary>
    public async Task<ModelRecord> AddAsync(StagedModel staged, string source, string? uploadedBy, CancellationToken cancellationToken)
    {
        var card = staged.Card ?? throw new InvalidOperationException("Validate the staged model before adding it.");
        var model = staged.Model!;
        if (await blobs.ExistsAsync(ModelKeys.Record(card.Name, card.Version), cancellationToken))
            throw new ModelConflictException($"Model {card.Name} version {card.Version} exists already; versions are immutable, upload a new version.");

        await PutFileAsync(ModelKeys.Model(card.Name, card.Version), model.Path, "application/octet-stream", cancellationToken);
        var dataFiles = new List<ModelDataFile>();
        for (var i = 0; i < staged.DataFiles.Count; i++)
        {
            var data = staged.DataFiles[i];
            var key = ModelKeys.Data(card.Name, card.Version, i);
            await PutFileAsync(key, data.Path, "application/octet-stream", cancellationToken);
            dataFiles.Add(new ModelDataFile(data.FileName, key, data.Sha256, data.SizeBytes));
        }
        await PutBytesAsync(ModelKeys.Card(card.Name, card.Version), staged.CardJson!, cancellationToken);
        var record = new ModelRecord
        {
            Name = card.Name, Version = card.Version, Task = card.Task, Sha256 = model.Sha256, SizeBytes = model.SizeBytes,
            DataFiles = dataFiles, UploadedAt = clock.GetUtcNow().UtcDateTime, Source = source, UploadedBy = uploadedBy,
        };
        await PutBytesAsync(ModelKeys.Record(card.Name, card.Version), JsonSerializer.SerializeToUtf8Bytes(record, Json), cancellationToken);
        logger.LogInformation("Model {Name} {Version} stored ({Size} bytes, sha256 {Sha}, {Source})", card.Name, card.Version, model.SizeBytes, model.Sha256, source);
        return record;
    }

    public async Task<IReadOnlyList<string>> ListNamesAsync(CancellationToken cancellationToken)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var blob in blobs.ListAsync(ModelKeys.Root, cancellationToken))
        {
            var parts = blob.Key.Split('/');
            if (parts.Length == 4 && parts[3] == ModelKeys.RecordFile) names.Add(parts[1]);
        }
        return names.ToList();
    }

    public async Task<IReadOnlyList<ModelRecord>> ListVersionsAsync(string name, CancellationToken cancellationToken)
    {
        ModelNames.RequireName(name);
        var records = new List<ModelRecord>();
        await foreach (var blob in blobs.ListAsync($"{ModelKeys.Root}{name}/", cancellationToken))
        {
            var parts = blob.Key.Split('/');
            if (parts.Length == 4 && parts[3] == ModelKeys.RecordFile && await ReadAsync<ModelRecord>(blob.Key, cancellationToken) is { } record)
                records.Add(record);
        }
        return records.OrderBy(r => r.UploadedAt).ToList();
    }

    public async Task<ModelRecord?> GetAsync(string name, string version, CancellationToken cancellationToken) =>
        ModelNames.IsValidName(name) && ModelNames.IsValidVersion(version)
            ? await ReadAsync<ModelRecord>(ModelKeys.Record(name, version), cancellationToken)
            : null;

    public async Task<ModelCard> GetCardAsync(string name, string version, CancellationToken cancellationToken)
    {
        await using var stream = await OpenCardAsync(name, version, cancellationToken);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return ModelCard.Parse(buffer.ToArray());
    }

    /// <summary>The card exactly as uploaded (with its training and metrics sections).</summary>
    public Task<Stream> OpenCardAsync(string name, string version, CancellationToken cancellationToken) =>
        OpenAsync(ModelKeys.Card(ModelNames.RequireName(name), ModelNames.RequireVersion(version)), $"{name} {version}", cancellationToken);

    public Task<Stream> OpenModelAsync(string name, string version, CancellationToken cancellationToken) =>
        OpenAsync(ModelKeys.Model(ModelNames.RequireName(name), ModelNames.RequireVersion(version)), $"{name} {version}", cancellationToken);

    public Task<Stream> OpenDataFileAsync(ModelDataFile file, CancellationToken cancellationToken) =>
        OpenAsync(file.Key, file.FileName, cancellationToken);

    /// <summary>The latest entry of the activation log, or null when the model was never activated.</summary>
    public async Task<ActivationEntry?> GetActivationAsync(string name, CancellationToken cancellationToken)
    {
        ModelNames.RequireName(name);
        string? latest = null;
        await foreach (var blob in blobs.ListAsync(ModelKeys.Activations(name), cancellationToken))
        {
            if (latest is null || string.CompareOrdinal(blob.Key, latest) > 0) latest = blob.Key;
        }
        return latest is null ? null : await ReadAsync<ActivationEntry>(latest, cancellationToken);
    }

    public async Task<ActivationEntry> ActivateAsync(string name, string version, string? by, CancellationToken cancellationToken)
    {
        if (await GetAsync(name, version, cancellationToken) is null)
            throw new ModelNotFoundException($"Model {name} has no version {version}.");
        return await AppendActivationAsync(name, version, by, cancellationToken);
    }

    /// <summary>Leaves the model without an active version: services refuse to run it until one is activated.</summary>
    public Task<ActivationEntry> DeactivateAsync(string name, string? by, CancellationToken cancellationToken) =>
        AppendActivationAsync(ModelNames.RequireName(name), null, by, cancellationToken);

    /// <summary>Deletes a version that is not active. The record goes first, so a half-deleted version is invisible.</summary>
    public async Task DeleteAsync(string name, string version, CancellationToken cancellationToken)
    {
        var record = await GetAsync(name, version, cancellationToken) ?? throw new ModelNotFoundException($"Model {name} has no version {version}.");
        if ((await GetActivationAsync(name, cancellationToken))?.Version == version)
            throw new ModelConflictException($"Model {name} version {version} is active; activate another version or deactivate it first.");
        await blobs.DeleteAsync(ModelKeys.Record(name, version), cancellationToken);
        await blobs.DeleteAsync(ModelKeys.Card(name, version), cancellationToken);
        await blobs.DeleteAsync(ModelKeys.Model(name, version), cancellationToken);
        foreach (var data in record.DataFiles) await blobs.DeleteAsync(data.Key, cancellationToken);
        logger.LogInformation("Model {Name} {Version} deleted", name, version);
    }

    private async Task<ActivationEntry> AppendActivationAsync(string name, string? version, string? by, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow().UtcDateTime;
        var entry = new ActivationEntry(name, version, at, by);
        await PutBytesAsync(ModelKeys.Activation(name, at), JsonSerializer.SerializeToUtf8Bytes(entry, Json), cancellationToken);
        logger.LogInformation(version is null ? "Model {Name} deactivated" : "Model {Name} version {Version} activated", name, version);
        ActivationChanged?.Invoke(name);
        return entry;
    }

    private async Task<Stream> OpenAsync(string key, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await blobs.OpenReadAsync(key, cancellationToken: cancellationToken);
        }
        catch (BlobNotFoundException)
        {
            throw new ModelNotFoundException($"Model {what} does not exist.");
        }
    }

    private async Task<T?> ReadAsync<T>(string key, CancellationToken cancellationToken) where T : class
    {
        try
        {
            await using var stream = await blobs.OpenReadAsync(key, cancellationToken: cancellationToken);
            return await JsonSerializer.DeserializeAsync<T>(stream, Json, cancellationToken);
        }
        catch (BlobNotFoundException)
        {
            return null; // deleted between listing and reading
        }
    }

    private async Task PutFileAsync(string key, string path, string contentType, CancellationToken cancellationToken)
    {
        // PutAsync, not PutFileAsync: a seed folder's files belong to the installation and must stay where they are.
        await using var content = File.OpenRead(path);
        await blobs.PutAsync(key, content, contentType, cancellationToken);
    }

    private async Task PutBytesAsync(string key, byte[] bytes, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(bytes, writable: false);
        await blobs.PutAsync(key, content, "application/json", cancellationToken);
    }
}
