using Halflife.Inference;
using SessionOptions = Halflife.Inference.SessionOptions;
using Halflife.Models.Cards;
using Halflife.Models.Registry;

namespace Halflife.Models.Loading;

/// <summary>
/// One version of a model held open by a service: its card, its registry record and one ONNX Runtime session (Run
/// is thread-safe). Callers hold it through a <see cref="ModelLease"/>; a version that is no longer active is
/// disposed only when its last lease ends, so a run in progress never loses its session.
/// </summary>
public sealed class LoadedModel
{
    private readonly object _gate = new();
    private int _leases;
    private bool _retired;

    public LoadedModel(ModelCard card, ModelRecord record, InferenceSession session)
    {
        Card = card;
        Record = record;
        Session = session;
        session.ModelName = card.Name;
        session.ModelVersion = card.Version;
    }

    public ModelCard Card { get; }
    public ModelRecord Record { get; }
    public InferenceSession Session { get; }
    public string Name => Card.Name;
    public string Version => Card.Version;

    /// <summary>Opens a model folder (ONNX file + card) without a registry: tools, benchmarks and tests.</summary>
    public static async Task<LoadedModel> OpenFolderAsync(string folder, SessionOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var staged = await StagedModel.FromFolderAsync(folder, cancellationToken);
        var card = staged.Validate();
        var session = new InferenceSession(staged.Model!.Path, options);
        var record = new ModelRecord
        {
            Name = card.Name, Version = card.Version, Task = card.Task, Sha256 = staged.Model.Sha256,
            SizeBytes = staged.Model.SizeBytes, Source = "folder", UploadedAt = File.GetLastWriteTimeUtc(staged.Model.Path),
        };
        return new LoadedModel(card, record, session);
    }

    /// <exception cref="ObjectDisposedException">The version was retired (superseded or deactivated).</exception>
    public ModelLease Lease() => TryLease() ?? throw new ObjectDisposedException(nameof(LoadedModel), $"{Name} {Version} is no longer active.");

    /// <summary>A lease, or null once the version was retired: no new work starts on a superseded version.</summary>
    internal ModelLease? TryLease()
    {
        lock (_gate)
        {
            if (_retired) return null;
            _leases++;
        }
        return new ModelLease(this);
    }

    internal void Release()
    {
        lock (_gate)
        {
            _leases--;
            if (!_retired || _leases > 0) return;
        }
        Session.Dispose();
    }

    /// <summary>No new leases after this; the session closes with the last one.</summary>
    internal void Retire()
    {
        lock (_gate)
        {
            if (_retired) return;
            _retired = true;
            if (_leases > 0) return;
        }
        Session.Dispose();
    }
}

/// <summary>A caller's hold on a <see cref="LoadedModel"/> for the length of one piece of work.</summary>
public sealed class ModelLease(LoadedModel model) : IDisposable
{
    private int _disposed;

    public LoadedModel Model { get; } = model;
    public ModelCard Card => Model.Card;
    public InferenceSession Session => Model.Session;
    public string Name => Model.Name;
    public string Version => Model.Version;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) Model.Release();
    }
}
