using Halflife.ServiceDefaults.Hosting;

namespace Halflife.Models.Registry;

/// <summary>
/// On first start, imports the models that ship with the installation (the repository's models/, copied into the
/// output and the images) and activates them, so a fresh deployment works before anyone uploads a model. A model
/// whose name has any activation history is left alone: an operator's deactivation or choice of version stands.
/// </summary>
internal sealed class ModelSeedTask(ModelRegistry registry, ModelSeeds seeds, ILogger<ModelSeedTask> logger) : IStartupTask
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var relative in seeds.Folders.Distinct(StringComparer.Ordinal))
        {
            var folder = ModelSeeds.Resolve(relative);
            if (folder is null)
            {
                logger.LogWarning("Seed model folder {Folder} was not found beside the application or above it; nothing imported", relative);
                continue;
            }
            using var staged = await StagedModel.FromFolderAsync(folder, cancellationToken);
            var card = staged.Validate();
            if (await registry.GetActivationAsync(card.Name, cancellationToken) is not null) continue;
            if (await registry.GetAsync(card.Name, card.Version, cancellationToken) is null)
            {
                try
                {
                    await registry.AddAsync(staged, "seed", null, cancellationToken);
                }
                catch (ModelConflictException)
                {
                    // Another replica seeding at the same moment stored the same files first.
                }
            }
            await registry.ActivateAsync(card.Name, card.Version, "seed", cancellationToken);
            logger.LogInformation("Seeded model {Name} {Version} from {Folder} and activated it", card.Name, card.Version, folder);
        }
    }
}

/// <summary>Model folders to import on first start; modules add theirs with <see cref="ModelRegistryExtensions.AddModelSeed"/>.</summary>
public sealed class ModelSeeds
{
    public List<string> Folders { get; } = [];

    /// <summary>A relative folder is looked for under the application folder, then in the folders above it (a source tree).</summary>
    public static string? Resolve(string folder)
    {
        if (Path.IsPathRooted(folder)) return Directory.Exists(folder) ? folder : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, folder);
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}
