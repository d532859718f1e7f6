using Halflife.Models.Registry;
using Halflife.ServiceDefaults.Security.Audit;

namespace Halflife.Models.Api;

/// <summary>
/// /api/models: list, read and download (view, download), upload and (de)activate (change), delete (delete). Each
/// action is its own route group. Downloads, uploads, (de)activations and deletions are audited; the resource id is
/// "name@version" (or the model's name for activation changes).
/// </summary>
public static class ModelEndpoints
{
    public static void MapModelEndpoints(this RouteGroupBuilder api)
    {
        var view = api.MapGroup("").WithGroupName("models-view");
        view.MapGet("/", ListAsync).WithName("ListModels");
        view.MapGet("/{name}", GetModelAsync).WithName("GetModel");
        view.MapGet("/{name}/active", GetActiveAsync).WithName("GetActiveModelVersion");
        view.MapGet("/{name}/versions/{version}", GetVersionAsync).WithName("GetModelVersion");
        view.MapGet("/{name}/versions/{version}/card", GetCardAsync).WithName("GetModelCard");

        var download = api.MapGroup("").WithGroupName("models-download");
        download.MapGet("/{name}/versions/{version}/model.onnx", DownloadAsync).WithName("DownloadModel")
            .Audited(AuditActions.Download, AuditResources.Model, resourceId: VersionId);

        var change = api.MapGroup("").WithGroupName("models-change");
        change.MapPost("/", ModelUploadEndpoint.UploadAsync).WithName("UploadModel").DisableAntiforgery()
            .Audited(AuditActions.Create, AuditResources.Model, resourceId: UploadedId);
        change.MapPost("/{name}/active", ActivateAsync).WithName("ActivateModelVersion")
            .Audited(AuditActions.Change, AuditResources.Model, "name");
        change.MapDelete("/{name}/active", DeactivateAsync).WithName("DeactivateModel")
            .Audited(AuditActions.Change, AuditResources.Model, "name");

        var delete = api.MapGroup("").WithGroupName("models-delete");
        delete.MapDelete("/{name}/versions/{version}", DeleteAsync).WithName("DeleteModelVersion")
            .Audited(AuditActions.Delete, AuditResources.Model, resourceId: VersionId);
    }

    private static string VersionId(HttpContext http, object? _) => $"{http.GetRouteValue("name")}@{http.GetRouteValue("version")}";

    /// <summary>"name@version" from the 201's Location, /api/models/{name}/versions/{version}.</summary>
    private static string? UploadedId(HttpContext http, object? result) =>
        AuditEndpointExtensions.CreatedId(http, result) is { } version && result?.GetType().GetProperty("Location")?.GetValue(result) is string location
            ? $"{location.Split('/')[^3]}@{version}"
            : null;

    private static async Task<IResult> ListAsync(ModelRegistry registry, CancellationToken ct)
    {
        var summaries = new List<ModelSummaryDto>();
        foreach (var name in await registry.ListNamesAsync(ct))
            summaries.Add(await SummaryAsync(registry, name, ct));
        return Results.Ok(summaries);
    }

    private static async Task<IResult> GetModelAsync(ModelRegistry registry, string name, CancellationToken ct)
    {
        if (!ModelNames.IsValidName(name)) return NotFound($"Model {name} does not exist.");
        var summary = await SummaryAsync(registry, name, ct);
        return summary.Versions.Count == 0 ? NotFound($"Model {name} does not exist.") : Results.Ok(summary);
    }

    private static async Task<IResult> GetActiveAsync(ModelRegistry registry, string name, CancellationToken ct)
    {
        if (!ModelNames.IsValidName(name)) return NotFound($"Model {name} does not exist.");
        var activation = await registry.GetActivationAsync(name, ct);
        return activation?.Version is null ? NotFound($"Model {name} has no active version.") : Results.Ok(ActivationDto.From(activation));
    }

    private static async Task<IResult> GetVersionAsync(ModelRegistry registry, string name, string version, CancellationToken ct)
    {
        var record = await registry.GetAsync(name, version, ct);
        if (record is null) return NotFound($"Model {name} has no version {version}.");
        var active = (await registry.GetActivationAsync(name, ct))?.Version;
        return Results.Ok(ModelVersionDto.From(record, active));
    }

    private static async Task<IResult> GetCardAsync(ModelRegistry registry, string name, string version, CancellationToken ct)
    {
        if (await registry.GetAsync(name, version, ct) is null) return NotFound($"Model {name} has no version {version}.");
        return Results.Stream(await registry.OpenCardAsync(name, version, ct), "application/json");
    }

    private static async Task<IResult> DownloadAsync(ModelRegistry registry, string name, string version, CancellationToken ct)
    {
        if (await registry.GetAsync(name, version, ct) is null) return NotFound($"Model {name} has no version {version}.");
        return Results.Stream(await registry.OpenModelAsync(name, version, ct), "application/octet-stream", $"{name}-{version}.onnx");
    }

    private static async Task<IResult> ActivateAsync(ModelRegistry registry, string name, ActivateRequest request, HttpContext http, CancellationToken ct)
    {
        if (!ModelNames.IsValidName(name) || !ModelNames.IsValidVersion(request.Version)) return NotFound($"Model {name} has no version {request.Version}.");
        try
        {
            return Results.Ok(ActivationDto.From(await registry.ActivateAsync(name, request.Version, User(http), ct)));
        }
        catch (ModelNotFoundException e)
        {
            return NotFound(e.Message);
        }
    }

    private static async Task<IResult> DeactivateAsync(ModelRegistry registry, string name, HttpContext http, CancellationToken ct)
    {
        if (!ModelNames.IsValidName(name) || (await registry.ListVersionsAsync(name, ct)).Count == 0) return NotFound($"Model {name} does not exist.");
        return Results.Ok(ActivationDto.From(await registry.DeactivateAsync(name, User(http), ct)));
    }

    private static async Task<IResult> DeleteAsync(ModelRegistry registry, string name, string version, CancellationToken ct)
    {
        try
        {
            await registry.DeleteAsync(name, version, ct);
            return Results.NoContent();
        }
        catch (ModelNotFoundException e)
        {
            return NotFound(e.Message);
        }
        catch (ModelConflictException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }

    private static async Task<ModelSummaryDto> SummaryAsync(ModelRegistry registry, string name, CancellationToken ct)
    {
        var active = (await registry.GetActivationAsync(name, ct))?.Version;
        var versions = await registry.ListVersionsAsync(name, ct);
        return new ModelSummaryDto(name, active, versions.Select(v => ModelVersionDto.From(v, active)).ToList());
    }

    internal static string? User(HttpContext http) => http.User.Identity?.IsAuthenticated == true ? http.User.Identity.Name : null;

    internal static IResult NotFound(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status404NotFound);
}
