using Halflife.Models.Registry;
using Halflife.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Halflife.Models.Api;

/// <summary>
/// POST /api/models, multipart/form-data: a part "card" (the card JSON), a part "model" (the ONNX file) and any
/// number of parts "data" (external data files, named as the graph refers to them). Parts are streamed to a private
/// folder with size limits and hashed; nothing is stored until the card validates and ONNX Runtime loads the model
/// and agrees with the card. ?activate=true activates the new version at once.
/// </summary>
internal static class ModelUploadEndpoint
{
    public static async Task<IResult> UploadAsync(HttpContext http, ModelRegistry registry, IOptions<ModelsOptions> options,
        IOptions<HalflifeOptions> halflife, bool? activate, CancellationToken ct)
    {
        var limits = options.Value;
        // The server-wide body limit is small; each part gets its own limit below, enforced while streaming.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit) bodyLimit.MaxRequestBodySize = null;
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return Results.Problem("Send multipart/form-data with parts \"card\", \"model\" and optionally \"data\".", statusCode: StatusCodes.Status415UnsupportedMediaType);
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary)) return Results.Problem("multipart/form-data without a boundary.", statusCode: StatusCodes.Status400BadRequest);

        var staging = halflife.Value.ResolveDataPath(Path.Combine("tmp", "model-uploads"));
        Directory.CreateDirectory(staging);
        using var staged = StagedModel.Create(staging);
        try
        {
            var reader = new MultipartReader(boundary, http.Request.Body) { BodyLengthLimit = null };
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                    throw new ModelValidationException(["a part has no Content-Disposition"]);
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                switch (name)
                {
                    case "card":
                        staged.SetCard(await ReadLimitedAsync(section.Body, limits.MaxCardBytes, ct));
                        break;
                    case "model":
                        await staged.AddModelAsync(section.Body, limits.MaxModelBytes, ct);
                        break;
                    case "data":
                        var fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                        if (string.IsNullOrEmpty(fileName)) throw new ModelValidationException(["a \"data\" part needs a file name (the one the ONNX graph refers to)"]);
                        await staged.AddDataFileAsync(fileName, section.Body, limits.MaxModelBytes, limits.MaxDataFiles, ct);
                        break;
                    default:
                        throw new ModelValidationException([$"unexpected part '{name}' (expected card, model, data)"]);
                }
            }
            var card = staged.Validate();
            var record = await registry.AddAsync(staged, "upload", ModelEndpoints.User(http), ct);
            string? active = null;
            if (activate == true) active = (await registry.ActivateAsync(card.Name, card.Version, ModelEndpoints.User(http), ct)).Version;
            return Results.Created($"/api/models/{card.Name}/versions/{card.Version}", ModelVersionDto.From(record, active));
        }
        catch (ModelValidationException e)
        {
            return Results.Problem(title: "The model is not valid", detail: string.Join("\n", e.Errors), statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["errors"] = e.Errors });
        }
        catch (ModelTooLargeException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        catch (ModelConflictException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status409Conflict);
        }
        catch (InvalidDataException e)
        {
            // Malformed multipart framing.
            return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<byte[]> ReadLimitedAsync(Stream body, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit) throw new ModelTooLargeException($"The card is larger than {limit} bytes (Models:MaxCardBytes).");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
