using Microsoft.Extensions.FileProviders;

namespace Halflife.WebUi.Tests;

/// <summary>
/// Test-only stopgap for a gateway defect: GatewayModule maps the SPA fallback as an endpoint, routing runs before its
/// UseStaticFiles, so every file of dist/ (the UI's script and styles) is answered with index.html and the browser
/// refuses it (nosniff). Used only when the real host is seen to do that, and reported by
/// <see cref="GatewayAssetTests"/>; once the gateway serves its files before routing this is never used.
/// </summary>
public sealed class UiFilesFirst(string webRoot) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(webRoot) });
        next(app);
    };
}
