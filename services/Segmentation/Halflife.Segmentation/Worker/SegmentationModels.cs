using System.Security.Cryptography;
using Halflife.Inference;
using Halflife.Models;
using Halflife.Models.Cards;
using Halflife.Models.Loading;
using Halflife.Models.Registry;
using Halflife.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;
using SessionOptions = Halflife.Inference.SessionOptions;

namespace Halflife.Segmentation.Worker;

/// <summary>A model a job runs with: its card and an open session, released when the job ends.</summary>
public sealed class JobModel(ModelCard card, InferenceSession session, IDisposable owner) : IDisposable
{
    public ModelCard Card { get; } = card;
    public InferenceSession Session { get; } = session;
    public string Name => Card.Name;
    public string Version => Card.Version;

    public void Dispose() => owner.Dispose();
}

/// <summary>
/// The model version a job asked for. The active version comes from <see cref="ActiveModels"/> (loaded once, shared
/// by every job); a job pinned to another version (a re-run with last month's model, a comparison) loads that version
/// for itself from the registry and closes it when the job ends.
/// </summary>
public sealed class SegmentationModels(
    ActiveModels active, ModelRegistry registry, IOptions<ModelsOptions> modelsOptions, IOptions<HalflifeOptions> halflife,
    ILogger<SegmentationModels> logger)
{
    public async Task<JobModel> AcquireAsync(string name, string version, CancellationToken cancellationToken)
    {
        var activation = await registry.GetActivationAsync(name, cancellationToken);
        if (activation?.Version == version)
        {
            var lease = await active.AcquireAsync(name, cancellationToken);
            if (lease.Version == version) return new JobModel(lease.Card, lease.Session, lease);
            lease.Dispose(); // activation changed in between: load the pinned version below
        }
        return await LoadPinnedAsync(name, version, cancellationToken);
    }

    private async Task<JobModel> LoadPinnedAsync(string name, string version, CancellationToken cancellationToken)
    {
        var record = await registry.GetAsync(name, version, cancellationToken)
                     ?? throw new ModelNotFoundException($"Model {name} version {version} is not in the registry (deleted?).");
        var card = await registry.GetCardAsync(name, version, cancellationToken);
        var folder = halflife.Value.ResolveDataPath(Path.Combine("segmentation", "models", name, $"{version}-{record.Sha256[..16]}"));
        var modelPath = Path.Combine(folder, StagedModel.ModelFileName);
        if (!File.Exists(Path.Combine(folder, ".complete")))
        {
            Directory.CreateDirectory(folder);
            await CopyCheckedAsync(await registry.OpenModelAsync(name, version, cancellationToken), modelPath, record.Sha256, cancellationToken);
            foreach (var data in record.DataFiles)
                await CopyCheckedAsync(await registry.OpenDataFileAsync(data, cancellationToken), Path.Combine(folder, data.FileName), data.Sha256, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(folder, ".complete"), record.Sha256, cancellationToken);
        }
        using var options = new SessionOptions();
        var settings = modelsOptions.Value;
        if (settings.IntraOpNumThreads > 0) options.IntraOpNumThreads = settings.IntraOpNumThreads;
        ExecutionProviderSelector.Apply(options, settings.ExecutionProvider, settings.CudaDeviceId, logger);
        var session = new InferenceSession(modelPath, options) { ModelName = card.Name, ModelVersion = card.Version };
        logger.LogInformation("Loaded {Model} {Version} (not the active version) for a segmentation job", name, version);
        return new JobModel(card, session, session);
    }

    private static async Task CopyCheckedAsync(Stream source, string path, string sha256, CancellationToken cancellationToken)
    {
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (source)
        await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        if (Convert.ToHexStringLower(hash.GetHashAndReset()) != sha256)
        {
            File.Delete(temp);
            throw new InvalidDataException($"{Path.GetFileName(path)} in the blob store does not match the registry's sha256; refusing to load it.");
        }
        File.Move(temp, path, overwrite: true);
    }
}
