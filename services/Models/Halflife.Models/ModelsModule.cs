using Halflife.Models.Api;
using Halflife.ServiceDefaults.Hosting;

namespace Halflife.Models;

/// <summary>
/// The model registry's API (/api/models): upload, list, read, download, activate, delete. The registry itself lives
/// in the blob store, so it needs no database; services that run models use it through <see cref="ModelRegistryExtensions.AddModelRegistry"/>.
/// </summary>
public sealed class ModelsModule : IServiceModule
{
    public string Name => "models";

    public void Add(WebApplicationBuilder builder) => builder.AddModelRegistry();

    public void Map(WebApplication app) => app.MapGroup("/api/models").WithTags("Models").MapModelEndpoints();
}
