using System.Text.Json;
using System.Text.Json.Nodes;
using Halflife.ServiceDefaults.Security.Audit;
using Halflife.Slides.Annotations;
using Halflife.Slides.Catalogue;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Slides.Api;

public sealed record AnnotationChange(Guid AnnotationId, string Action, string User, JsonNode? Before, JsonNode? After, DateTimeOffset At);

/// <summary>Annotations as GeoJSON Features (QuPath's export shape), per slide and per user layer, with history.</summary>
public static class AnnotationEndpoints
{
    private const long MaxFeatureBytes = 16L * 1024 * 1024;
    private const long MaxImportBytes = 256L * 1024 * 1024;
    private const int MaxImportFeatures = 100_000;

    public static RouteGroupBuilder MapAnnotationEndpoints(this RouteGroupBuilder group)
    {
        var annotations = group.MapGroup("/{id:guid}/annotations");
        annotations.MapGet("/", ListAsync).WithName("ListAnnotations").Audited(AuditActions.View, AuditResources.Annotation, resourceId: OfSlide);
        annotations.MapPost("/", CreateAsync).WithName("CreateAnnotation").Audited(AuditActions.Create, AuditResources.Annotation, resourceId: OfSlide);
        annotations.MapGet("/{annotationId:guid}", GetAsync).WithName("GetAnnotation").Audited(AuditActions.View, AuditResources.Annotation, "annotationId");
        annotations.MapPut("/{annotationId:guid}", ReplaceAsync).WithName("ReplaceAnnotation").Audited(AuditActions.Change, AuditResources.Annotation, "annotationId");
        annotations.MapDelete("/{annotationId:guid}", DeleteAsync).WithName("DeleteAnnotation").Audited(AuditActions.Delete, AuditResources.Annotation, "annotationId");
        annotations.MapGet("/history", HistoryAsync).WithName("GetAnnotationHistory");
        annotations.MapGet("/export", ExportAsync).WithName("ExportAnnotations").Audited(AuditActions.Download, AuditResources.Annotation, resourceId: OfSlide);
        annotations.MapPost("/import", ImportAsync).WithName("ImportAnnotations").Audited(AuditActions.Create, AuditResources.Annotation, resourceId: OfSlide);
        return group;
    }

    /// <summary>Audit resource id for actions on a slide's annotations as a whole.</summary>
    private static string OfSlide(HttpContext http, object? _) => $"slide:{http.GetRouteValue("id")}";

    private static async Task<IResult> ListAsync(Guid id, string? layer, string? author, SlidesDbContext db, CancellationToken cancellationToken)
    {
        if (await db.FindLiveAsync(id, cancellationToken) is null) return SlideMapping.NotFound(id);
        return Results.Ok(await CollectionAsync(db, id, layer, author, cancellationToken));
    }

    private static async Task<IResult> ExportAsync(Guid id, string? layer, SlidesDbContext db, CancellationToken cancellationToken)
    {
        var slide = await db.FindLiveAsync(id, cancellationToken);
        if (slide is null) return SlideMapping.NotFound(id);
        var collection = await CollectionAsync(db, id, layer, null, cancellationToken);
        return Results.File(JsonSerializer.SerializeToUtf8Bytes<JsonNode>(collection), "application/geo+json", $"{slide.Id}.geojson");
    }

    private static async Task<IResult> GetAsync(Guid id, Guid annotationId, SlidesDbContext db, CancellationToken cancellationToken)
    {
        var annotation = await db.Annotations.AsNoTracking()
            .FirstOrDefaultAsync(a => a.Id == annotationId && a.SlideId == id && a.DeletedAt == null, cancellationToken);
        return annotation is null ? AnnotationNotFound(annotationId) : Results.Text(annotation.FeatureJson, "application/geo+json");
    }

    private static async Task<IResult> CreateAsync(Guid id, SlidesDbContext db, AnnotationService service, HttpContext context, CancellationToken cancellationToken)
    {
        var slide = await db.FindLiveAsync(id, cancellationToken);
        if (slide is null) return SlideMapping.NotFound(id);
        var (node, error) = await ReadBodyAsync(context, MaxFeatureBytes, cancellationToken);
        if (error is not null) return error;
        if (FeatureValidator.Validate(node, slide.Width, slide.Height) is { } invalid) return SlideMapping.Problem(StatusCodes.Status400BadRequest, invalid);
        var created = await service.CreateAsync(slide, [(JsonObject)node!], Requester.From(context), cancellationToken);
        return Results.Text(created[0].FeatureJson, "application/geo+json", statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ReplaceAsync(Guid id, Guid annotationId, SlidesDbContext db, AnnotationService service, HttpContext context,
        CancellationToken cancellationToken)
    {
        var slide = await db.FindLiveAsync(id, cancellationToken);
        if (slide is null) return SlideMapping.NotFound(id);
        var annotation = await db.Annotations.FirstOrDefaultAsync(a => a.Id == annotationId && a.SlideId == id && a.DeletedAt == null, cancellationToken);
        if (annotation is null) return AnnotationNotFound(annotationId);
        var by = Requester.From(context);
        if (annotation.Author != by.User && !AiLayer.IsReviewable(annotation)) return NotYours(annotation);
        var (node, error) = await ReadBodyAsync(context, MaxFeatureBytes, cancellationToken);
        if (error is not null) return error;
        if (FeatureValidator.Validate(node, slide.Width, slide.Height) is { } invalid) return SlideMapping.Problem(StatusCodes.Status400BadRequest, invalid);
        if (AiLayer.PrepareReplacement(annotation, (JsonObject)node!) is { } aiInvalid) return SlideMapping.Problem(StatusCodes.Status400BadRequest, aiInvalid);
        await service.ReplaceAsync(annotation, (JsonObject)node!, by, cancellationToken);
        return Results.Text(annotation.FeatureJson, "application/geo+json");
    }

    private static async Task<IResult> DeleteAsync(Guid id, Guid annotationId, SlidesDbContext db, AnnotationService service, HttpContext context,
        CancellationToken cancellationToken)
    {
        var annotation = await db.Annotations.FirstOrDefaultAsync(a => a.Id == annotationId && a.SlideId == id && a.DeletedAt == null, cancellationToken);
        if (annotation is null) return AnnotationNotFound(annotationId);
        var by = Requester.From(context);
        if (annotation.Author != by.User && !AiLayer.IsReviewable(annotation)) return NotYours(annotation);
        await service.DeleteAsync(annotation, by, cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> HistoryAsync(Guid id, Guid? annotationId, SlidesDbContext db, CancellationToken cancellationToken)
    {
        var query = db.AnnotationHistory.AsNoTracking().Where(h => h.SlideId == id);
        if (annotationId is not null) query = query.Where(h => h.AnnotationId == annotationId);
        var rows = await query.ToListAsync(cancellationToken);
        return Results.Ok(rows.OrderBy(h => h.At).ThenBy(h => h.Id).Select(h => new AnnotationChange(h.AnnotationId, h.Action, h.User,
            h.BeforeJson is null ? null : JsonNode.Parse(h.BeforeJson), h.AfterJson is null ? null : JsonNode.Parse(h.AfterJson),
            SlideMapping.AsUtc(h.At))).ToList());
    }

    /// <summary>Accepts a FeatureCollection (QuPath "Export objects as GeoJSON") or a bare array of Features; all or nothing.</summary>
    private static async Task<IResult> ImportAsync(Guid id, SlidesDbContext db, AnnotationService service, HttpContext context, CancellationToken cancellationToken)
    {
        var slide = await db.FindLiveAsync(id, cancellationToken);
        if (slide is null) return SlideMapping.NotFound(id);
        var (node, error) = await ReadBodyAsync(context, MaxImportBytes, cancellationToken);
        if (error is not null) return error;
        var features = node switch
        {
            JsonObject o when (string?)o["type"] == "FeatureCollection" && o["features"] is JsonArray a => a,
            JsonArray a => a,
            JsonObject o when (string?)o["type"] == "Feature" => new JsonArray(o.DeepClone()),
            _ => null,
        };
        if (features is null) return SlideMapping.Problem(StatusCodes.Status400BadRequest, "Import a GeoJSON FeatureCollection, a Feature or an array of Features.");
        if (features.Count > MaxImportFeatures)
            return SlideMapping.Problem(StatusCodes.Status400BadRequest, $"At most {MaxImportFeatures} features per import.");
        for (var i = 0; i < features.Count; i++)
            if (FeatureValidator.Validate(features[i], slide.Width, slide.Height) is { } invalid)
                return SlideMapping.Problem(StatusCodes.Status400BadRequest, $"Feature {i}: {invalid}");
        var created = await service.CreateAsync(slide, features.Cast<JsonObject>(), Requester.From(context), cancellationToken);
        return Results.Ok(new { imported = created.Count, ids = created.Select(a => a.Id).ToList() });
    }

    private static async Task<JsonObject> CollectionAsync(SlidesDbContext db, Guid slideId, string? layer, string? author, CancellationToken cancellationToken)
    {
        var query = db.Annotations.AsNoTracking().Where(a => a.SlideId == slideId && a.DeletedAt == null);
        if (!string.IsNullOrEmpty(layer)) query = query.Where(a => a.Layer == layer);
        if (!string.IsNullOrEmpty(author)) query = query.Where(a => a.Author == author);
        var rows = await query.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).Select(a => a.FeatureJson).ToListAsync(cancellationToken);
        return new JsonObject { ["type"] = "FeatureCollection", ["features"] = new JsonArray(rows.Select(r => JsonNode.Parse(r)).ToArray()) };
    }

    /// <summary>Reads the JSON body up to a limit (annotations are the only bodies here that are parsed whole).</summary>
    private static async Task<(JsonNode? Node, IResult? Error)> ReadBodyAsync(HttpContext context, long limit, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > limit)
            return (null, SlideMapping.Problem(StatusCodes.Status413PayloadTooLarge, $"The body exceeds {limit} bytes."));
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
        try
        {
            return (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: cancellationToken), null);
        }
        catch (JsonException e)
        {
            return (null, SlideMapping.Problem(StatusCodes.Status400BadRequest, $"The body is not valid JSON: {e.Message}"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, SlideMapping.Problem(StatusCodes.Status413PayloadTooLarge, $"The body exceeds {limit} bytes."));
        }
    }

    private static IResult AnnotationNotFound(Guid id) => SlideMapping.Problem(StatusCodes.Status404NotFound, $"Annotation {id} does not exist.");

    private static IResult NotYours(Annotation a) =>
        SlideMapping.Problem(StatusCodes.Status403Forbidden, $"Annotation {a.Id} is in {a.Author}'s layer '{a.Layer}'; only its author changes it.");
}
