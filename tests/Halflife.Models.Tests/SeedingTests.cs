using System.Net;
using System.Net.Http.Json;
using Halflife.Models.Api;
using Halflife.Models.Registry;

namespace Halflife.Models.Tests;

/// <summary>First start imports the repository's bone-restore model and activates it; later starts respect the operator.</summary>
public sealed class SeedingTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly string _data = Path.Combine(Path.GetTempPath(), "halflife-models-seed-" + Guid.NewGuid().ToString("N"));

    private Task<ModelsHost> StartAsync() => ModelsHost.StartAsync(_data, configure: b => b.AddModelSeed("models/bone-restore"));

    [Fact]
    public async Task First_start_seeds_and_activates_and_a_deactivation_survives_a_restart()
    {
        await using (var host = await StartAsync())
        {
            var active = await host.Client.GetFromJsonAsync<ActivationDto>("/api/models/bone-restore/active", Ct);
            Assert.Equal(("1.0.0", "seed"), (active!.Version, active.By));
            var version = await host.Client.GetFromJsonAsync<ModelVersionDto>("/api/models/bone-restore/versions/1.0.0", Ct);
            Assert.Equal("seed", version!.Source);
            (await host.Client.DeleteAsync("/api/models/bone-restore/active", Ct)).EnsureSuccessStatusCode();
        }
        await using (var again = await StartAsync())
        {
            Assert.Equal(HttpStatusCode.NotFound, (await again.Client.GetAsync("/api/models/bone-restore/active", Ct)).StatusCode);
            var versions = await again.App.Services.GetRequiredService<ModelRegistry>().ListVersionsAsync("bone-restore", Ct);
            Assert.Single(versions);
        }
    }

    [Fact]
    public async Task A_missing_seed_folder_is_logged_not_fatal()
    {
        await using var host = await ModelsHost.StartAsync(_data, configure: b => b.AddModelSeed("models/does-not-exist"));
        Assert.Empty((await host.Client.GetFromJsonAsync<List<ModelSummaryDto>>("/api/models", Ct))!);
    }

    public void Dispose() => ModelsHost.Delete(_data);
}
