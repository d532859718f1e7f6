using Halflife.Contracts;
using Halflife.Ingest.Storage;
using Halflife.ServiceDefaults.Security;
using Halflife.ServiceDefaults.Security.Audit;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Halflife.Ingest.Api;

/// <summary>REST upload of DICOM instances: one application/dicom body, or many files in multipart/form-data.</summary>
public static class UploadEndpoints
{
    public static RouteGroupBuilder MapUploadEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/instances", UploadAsync)
            .Accepts<IFormFile>("application/dicom", "multipart/form-data")
            .Produces<StoredInstance>(StatusCodes.Status201Created)
            .Produces<IReadOnlyList<StoredInstance>>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithName("UploadInstances")
            .Audited(AuditActions.Create, AuditResources.Instance, resourceId: (http, _) => "upload")
            .DisableAntiforgery();
        return group;
    }

    /// <param name="projectId">Project the uploaded studies belong to (the caller must be a member); default project when absent.</param>
    private static async Task<IResult> UploadAsync(HttpContext http, InstanceStore store, IOptions<IngestOptions> options, ProjectAccess access,
        string? projectId, CancellationToken cancellationToken)
    {
        var (allowed, project) = access.ForNewData(projectId);
        if (!allowed)
            return Results.Problem($"You are not a member of project '{projectId}'.", statusCode: StatusCodes.Status403Forbidden);
        // The server-wide body limit is small; uploads get the instance limit, enforced while streaming.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = null;

        var contentType = http.Request.ContentType ?? "";
        if (contentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
            return await UploadMultipartAsync(http, store, project, cancellationToken);
        if (!contentType.StartsWith("application/dicom", StringComparison.OrdinalIgnoreCase)
            && !contentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
            return Results.Problem($"Unsupported content type '{contentType}'. Send application/dicom or multipart/form-data.",
                statusCode: StatusCodes.Status415UnsupportedMediaType);

        try
        {
            var result = await store.StoreAsync(http.Request.Body, "rest", project, cancellationToken);
            var body = ToDto(result);
            return result.Outcome == StoreOutcome.Stored
                ? Results.Created($"/api/ingest/instances/{result.InstanceId}", body)
                : Results.Ok(body);
        }
        catch (InvalidInstanceException e)
        {
            return Results.Problem(e.Message, title: "Not an acceptable DICOM instance", statusCode: StatusCodes.Status400BadRequest);
        }
        catch (InstanceTooLargeException e)
        {
            return Results.Problem(e.Message, title: "Instance too large", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
    }

    /// <summary>Each part is streamed to the store in turn; one bad part does not reject the others.</summary>
    private static async Task<IResult> UploadMultipartAsync(HttpContext http, InstanceStore store, string? projectId, CancellationToken cancellationToken)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(http.Request.ContentType).Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
            return Results.Problem("multipart/form-data without a boundary.", statusCode: StatusCodes.Status400BadRequest);

        var reader = new MultipartReader(boundary, http.Request.Body);
        var results = new List<StoredInstance>();
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            try
            {
                results.Add(ToDto(await store.StoreAsync(section.Body, "rest", projectId, cancellationToken)));
            }
            catch (Exception e) when (e is InvalidInstanceException or InstanceTooLargeException)
            {
                var name = ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    ? disposition.FileName.Value ?? disposition.Name.Value : null;
                results.Add(new StoredInstance(Guid.Empty, "", "", "", false, $"{name}: {e.Message}"));
            }
        }
        if (results.Count == 0)
            return Results.Problem("The multipart body contains no files.", statusCode: StatusCodes.Status400BadRequest);
        return results.All(r => r.Error is not null)
            ? Results.Json(results, statusCode: StatusCodes.Status400BadRequest)
            : Results.Ok(results);
    }

    private static StoredInstance ToDto(StoreResult r) =>
        new(r.InstanceId, r.StudyInstanceUid, r.SeriesInstanceUid, r.SopInstanceUid, r.Outcome == StoreOutcome.Duplicate);
}
