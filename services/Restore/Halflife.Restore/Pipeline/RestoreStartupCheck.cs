using Halflife.Models.Registry;
using Halflife.Restore.Forwarding;
using Halflife.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace Halflife.Restore.Pipeline;

/// <summary>
/// Runs after the model seed: Restore cannot start when the registry holds no version at all of a model its mode can
/// choose (the seed folder is missing and nothing was uploaded), or when its mode or forwarding is misconfigured. A model that exists but
/// was deactivated by an operator is only warned about: activating a version fixes it without a restart.
/// </summary>
internal sealed class RestoreStartupCheck(ModelRegistry registry, IOptions<RestoreOptions> options, ILogger<RestoreStartupCheck> logger) : IStartupTask
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var problems = settings.Forwarding.Problems().Concat(settings.Problems()).ToList();
        if (problems.Count > 0)
            throw new InvalidOperationException("Restore is misconfigured: " + string.Join("; ", problems) + ".");

        // Every model the configured mode can choose must exist (auto: both).
        foreach (var name in settings.ModelNames())
        {
            var versions = await registry.ListVersionsAsync(name, cancellationToken);
            if (versions.Count == 0)
                throw new InvalidOperationException(
                    $"Restore has no model '{name}' (Restore:Mode {settings.Mode}): the registry holds no version of it and the seed folders " +
                    $"{string.Join(", ", RestoreOptions.SeedFolders)} were not found beside the application. Upload one (POST /api/models) and " +
                    "activate it, or install the models/ folder.");
            var active = await registry.GetActivationAsync(name, cancellationToken);
            if (active?.Version is null)
                logger.LogWarning("Restore model {Name} has no active version (deactivated by {By}); NM instances that need it wait in the retry/error queue until one is activated",
                    name, active?.By ?? "nobody");
            else
                RestoreModelRequirements.Check(await registry.GetCardAsync(name, active.Version, cancellationToken));
        }
    }
}
