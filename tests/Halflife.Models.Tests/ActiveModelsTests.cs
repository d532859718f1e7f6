using Halflife.Inference;
using Halflife.Models.Loading;
using Halflife.Models.Registry;
using Halflife.ServiceDefaults.Storage;

namespace Halflife.Models.Tests;

/// <summary>How services see the registry: the active version, loaded and cached, switching without a restart.</summary>
public sealed class ActiveModelsTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private ModelsHost _host = null!;

    // A long poll interval: only an activation in this process (or Invalidate) may make the switch visible.
    public async ValueTask InitializeAsync() => _host = await ModelsHost.StartAsync(settings: new Dictionary<string, string?>
    {
        ["Models:ActivePollInterval"] = "01:00:00",
        ["Models:ExecutionProvider"] = "Cpu",
    });

    private ModelRegistry Registry => _host.App.Services.GetRequiredService<ModelRegistry>();
    private ActiveModels Active => _host.App.Services.GetRequiredService<ActiveModels>();

    private async Task AddBoneRestoreAsync(string version)
    {
        var staging = Path.Combine(_host.DataDirectory, "staging");
        Directory.CreateDirectory(staging);
        using var staged = StagedModel.Create(staging);
        staged.SetCard(ModelFiles.WithVersion(version));
        await using (var onnx = File.OpenRead(ModelFiles.BoneRestoreOnnx))
            await staged.AddModelAsync(onnx, long.MaxValue, Ct);
        staged.Validate();
        await Registry.AddAsync(staged, "test", null, Ct);
    }

    [Fact]
    public async Task A_new_activation_takes_effect_without_a_restart_and_a_running_lease_keeps_its_session()
    {
        await AddBoneRestoreAsync("1.0.0");
        await AddBoneRestoreAsync("2.0.0");
        await Registry.ActivateAsync("bone-restore", "1.0.0", "test", Ct);

        using var first = await Active.AcquireAsync("bone-restore", Ct);
        Assert.Equal("1.0.0", first.Version);
        Assert.Equal("1.0.0", first.Session.ModelVersion);

        await Registry.ActivateAsync("bone-restore", "2.0.0", "test", Ct);
        using var second = await Active.AcquireAsync("bone-restore", Ct);
        Assert.Equal("2.0.0", second.Version);
        Assert.NotSame(first.Session, second.Session);

        // The old version is retired but still leased: it must still run.
        using var input = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1f, 16 * 16).ToArray(), [1, 1, 16, 16]);
        using (first.Session.Run(new Dictionary<string, OrtValue> { ["input"] = input })) { }
        first.Dispose();
        Assert.Throws<ObjectDisposedException>(() => first.Session.Run(new Dictionary<string, OrtValue> { ["input"] = input }));
        using (second.Session.Run(new Dictionary<string, OrtValue> { ["input"] = input })) { }
    }

    [Fact]
    public async Task Another_replicas_activation_is_seen_after_invalidation_or_the_poll_interval()
    {
        await AddBoneRestoreAsync("1.0.0");
        await AddBoneRestoreAsync("2.0.0");
        await Registry.ActivateAsync("bone-restore", "1.0.0", "test", Ct);
        using (var lease = await Active.AcquireAsync("bone-restore", Ct)) Assert.Equal("1.0.0", lease.Version);

        // A second registry over the same blob store stands for another replica: this process hears nothing of it.
        var otherReplica = new ModelRegistry(_host.App.Services.GetRequiredService<IBlobStore>(), TimeProvider.System,
            _host.App.Services.GetRequiredService<ILogger<ModelRegistry>>());
        await otherReplica.ActivateAsync("bone-restore", "2.0.0", "other", Ct);
        using (var cached = await Active.AcquireAsync("bone-restore", Ct)) Assert.Equal("1.0.0", cached.Version);

        Active.Invalidate("bone-restore"); // what the poll interval's expiry does
        using (var fresh = await Active.AcquireAsync("bone-restore", Ct)) Assert.Equal("2.0.0", fresh.Version);
    }

    [Fact]
    public async Task Without_an_active_version_services_get_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<NoActiveModelException>(() => Active.AcquireAsync("bone-restore", Ct));
        Assert.Contains("no active version of 'bone-restore'", error.Message);

        await AddBoneRestoreAsync("1.0.0");
        await Registry.ActivateAsync("bone-restore", "1.0.0", "test", Ct);
        using (await Active.AcquireAsync("bone-restore", Ct)) { }
        await Registry.DeactivateAsync("bone-restore", "test", Ct);
        await Assert.ThrowsAsync<NoActiveModelException>(() => Active.AcquireAsync("bone-restore", Ct));
    }

    [Fact]
    public async Task A_tampered_model_blob_is_refused_by_its_hash()
    {
        await AddBoneRestoreAsync("1.0.0");
        await Registry.ActivateAsync("bone-restore", "1.0.0", "test", Ct);
        var blobs = _host.App.Services.GetRequiredService<IBlobStore>();
        var bytes = await File.ReadAllBytesAsync(ModelFiles.BoneRestoreOnnx, Ct);
        bytes[^10] ^= 0xFF;
        await blobs.PutAsync("models/bone-restore/1.0.0/model.onnx", new MemoryStream(bytes), cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Active.AcquireAsync("bone-restore", Ct));
        Assert.Contains("refusing to load it", error.Message);
    }

    [Fact]
    public async Task A_model_with_external_data_is_unpacked_beside_its_data_and_runs()
    {
        var (onnx, data) = ModelFiles.SharedDenoiser();
        var staging = Path.Combine(_host.DataDirectory, "staging");
        Directory.CreateDirectory(staging);
        using (var staged = StagedModel.Create(staging))
        {
            staged.SetCard(ModelFiles.DenoiserCard());
            await using (var model = File.OpenRead(onnx)) await staged.AddModelAsync(model, long.MaxValue, Ct);
            await using (var weights = File.OpenRead(data)) await staged.AddDataFileAsync(Path.GetFileName(data), weights, long.MaxValue, 4, Ct);
            staged.Validate();
            await Registry.AddAsync(staged, "test", null, Ct);
        }
        await Registry.ActivateAsync("dncnn-test", "1.0.0", "test", Ct);

        using var lease = await Active.AcquireAsync("dncnn-test", Ct);
        using var input = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(0.5f, 32 * 32).ToArray(), [1, 1, 32, 32]);
        using var output = lease.Session.Run(new Dictionary<string, OrtValue> { ["input"] = input });
        var values = output[0].ToArray<float>();
        Assert.Equal(32 * 32, values.Length);
        Assert.All(values, v => Assert.True(float.IsFinite(v)));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        ModelsHost.Delete(_host.DataDirectory);
    }
}
