using System.Collections.Concurrent;
using System.Security.Cryptography;
using Halflife.Inference;
using SessionOptions = Halflife.Inference.SessionOptions;
using Halflife.Models.Cards;
using Halflife.Models.Registry;
using Halflife.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace Halflife.Models.Loading;

/// <summary>
/// The active version of each named model, loaded and cached for a service. Every <see cref="ModelsOptions.ActivePollInterval"/>
/// (or at once after an activation in this process) it asks the registry again; a new version is unpacked into the
/// local cache, hash-checked, loaded, and swapped in, and the old one closes when its last run ends. So activating
/// a version takes effect without a restart.
/// </summary>
public sealed class ActiveModels : IDisposable
{
    private readonly ModelRegistry _registry;
    private readonly ModelsOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<ActiveModels> _logger;
    private readonly string _cacheRoot;
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    public ActiveModels(ModelRegistry registry, IOptions<ModelsOptions> options, IOptions<HalflifeOptions> halflife, TimeProvider clock, ILogger<ActiveModels> logger)
    {
        _registry = registry;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _cacheRoot = halflife.Value.ResolveDataPath(_options.CachePath);
        _registry.ActivationChanged += Invalidate;
    }

    /// <summary>Leases the active version of <paramref name="name"/>; dispose the lease when the work is done.</summary>
    /// <exception cref="NoActiveModelException">The registry has no active version of it.</exception>
    public async Task<ModelLease> AcquireAsync(string name, CancellationToken cancellationToken)
    {
        var slot = _slots.GetOrAdd(name, _ => new Slot());
        // A version swapped out between the check and the lease refuses it; the slow path then takes the new one.
        if (slot.Current is { } fresh && Fresh(slot) && fresh.TryLease() is { } quick)
            return quick;

        await slot.Gate.WaitAsync(cancellationToken);
        try
        {
            if (slot.Current is { } current && Fresh(slot) && current.TryLease() is { } lease)
                return lease;
            // Under the gate nobody else swaps, so the version just refreshed cannot be retired before this lease.
            return (await RefreshAsync(name, slot, cancellationToken)).Lease();
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    /// <summary>Forgets when the active version was last checked, so the next acquire asks the registry.</summary>
    public void Invalidate(string name)
    {
        if (_slots.TryGetValue(name, out var slot)) Interlocked.Exchange(ref slot.ValidUntilTicks, 0);
    }

    private async Task<LoadedModel> RefreshAsync(string name, Slot slot, CancellationToken cancellationToken)
    {
        ActivationEntry? activation;
        try
        {
            activation = await _registry.GetActivationAsync(name, cancellationToken);
        }
        catch (Exception e) when (slot.Current is not null && e is not OperationCanceledException)
        {
            // The blob store hiccuped: keep running what was active a moment ago rather than stopping the service.
            _logger.LogWarning(e, "Cannot read the active version of {Model}; keeping {Version}", name, slot.Current.Version);
            MarkChecked(slot);
            return slot.Current;
        }
        if (activation?.Version is not { } version)
        {
            Swap(slot, null);
            throw new NoActiveModelException(name);
        }
        if (slot.Current?.Version != version)
        {
            var loaded = await LoadAsync(name, version, cancellationToken);
            _logger.LogInformation("Model {Name}: now running version {Version} (was {Previous}) on {Provider}",
                name, version, slot.Current?.Version ?? "none", loaded.Session.Provider);
            Swap(slot, loaded);
        }
        MarkChecked(slot);
        return slot.Current!;
    }

    private bool Fresh(Slot slot) => _clock.GetUtcNow().UtcTicks < Interlocked.Read(ref slot.ValidUntilTicks);

    private void MarkChecked(Slot slot) =>
        Interlocked.Exchange(ref slot.ValidUntilTicks, (_clock.GetUtcNow() + _options.ActivePollInterval).UtcTicks);

    private static void Swap(Slot slot, LoadedModel? next)
    {
        var previous = slot.Current;
        slot.Current = next;
        previous?.Retire();
    }

    private async Task<LoadedModel> LoadAsync(string name, string version, CancellationToken cancellationToken)
    {
        var record = await _registry.GetAsync(name, version, cancellationToken)
                     ?? throw new ModelNotFoundException($"Model {name} version {version} is active but not stored (deleted?).");
        var card = await _registry.GetCardAsync(name, version, cancellationToken);
        var folder = await UnpackAsync(record, cancellationToken);
        var options = new SessionOptions();
        try
        {
            if (_options.IntraOpNumThreads > 0) options.IntraOpNumThreads = _options.IntraOpNumThreads;
            ExecutionProviderSelector.Apply(options, _options.ExecutionProvider, _options.CudaDeviceId, _logger);
            return new LoadedModel(card, record, new InferenceSession(Path.Combine(folder, StagedModel.ModelFileName), options));
        }
        finally
        {
            options.Dispose();
        }
    }

    /// <summary>
    /// ONNX Runtime reads external data from files beside the model, so each version is unpacked into a folder of
    /// its own (named by version and hash), checked against the record's hashes, then renamed into place.
    /// </summary>
    private async Task<string> UnpackAsync(ModelRecord record, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(_cacheRoot, record.Name, $"{record.Version}-{record.Sha256[..16]}");
        if (File.Exists(Path.Combine(folder, ".complete"))) return folder;
        var temp = folder + ".tmp-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(temp);
        try
        {
            await CopyCheckedAsync(await _registry.OpenModelAsync(record.Name, record.Version, cancellationToken),
                Path.Combine(temp, StagedModel.ModelFileName), record.Sha256, $"{record.Name} {record.Version}", cancellationToken);
            foreach (var data in record.DataFiles)
                await CopyCheckedAsync(await _registry.OpenDataFileAsync(data, cancellationToken), Path.Combine(temp, data.FileName), data.Sha256, data.FileName, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(temp, ".complete"), record.Sha256, cancellationToken);
            try
            {
                Directory.Move(temp, folder);
            }
            catch (IOException) when (File.Exists(Path.Combine(folder, ".complete")))
            {
                // Another replica sharing the folder (or a concurrent load) finished first: use its copy.
            }
            return folder;
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    private static async Task CopyCheckedAsync(Stream source, string path, string sha256, string what, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (source)
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != sha256)
            throw new InvalidDataException($"Model file {what} in the blob store has sha256 {actual}, the registry recorded {sha256}; refusing to load it.");
    }

    public void Dispose()
    {
        _registry.ActivationChanged -= Invalidate;
        foreach (var slot in _slots.Values) Swap(slot, null);
    }

    private sealed class Slot
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public volatile LoadedModel? Current;
        public long ValidUntilTicks;
    }
}
