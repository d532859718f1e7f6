using Halflife.Models.Loading;

namespace Halflife.Restore.Tests;

/// <summary>One loaded bone-restore model (the copy shipped beside the service) for all tests of a class.</summary>
public sealed class ModelFixture : IDisposable
{
    private readonly ModelLease _lease;

    public ModelFixture()
    {
        var model = LoadedModel.OpenFolderAsync(Path.Combine(AppContext.BaseDirectory, "models", "bone-restore")).GetAwaiter().GetResult();
        _lease = model.Lease();
    }

    public ModelLease Model => _lease;

    public void Dispose() => _lease.Dispose();
}
