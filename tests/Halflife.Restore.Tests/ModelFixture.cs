using Halflife.Restore.Pipeline;
using Microsoft.Extensions.Options;

namespace Halflife.Restore.Tests;

/// <summary>One loaded model for all tests of a class, as the service holds one per process.</summary>
public sealed class ModelFixture : IDisposable
{
    public RestorationModel Model { get; } = new(Options.Create(new RestoreOptions()));
    public BoneScanRestorer Restorer => new(Model);
    public void Dispose() => Model.Dispose();
}
