using System.Text.Json.Nodes;
using Halflife.Slides.Catalogue;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Slides.Annotations;

/// <summary>Creates, replaces and deletes annotations, writing a history row (before/after JSON) with each change.</summary>
public sealed class AnnotationService(SlidesDbContext db)
{
    public const string DefaultLayer = "default";

    /// <summary>Adds the features (already validated); one transaction, so an import is all or nothing.</summary>
    public async Task<IReadOnlyList<Annotation>> CreateAsync(Slide slide, IEnumerable<JsonObject> features, Requester by, CancellationToken cancellationToken)
    {
        var created = new List<Annotation>();
        foreach (var feature in features)
        {
            var now = DateTime.UtcNow;
            var annotation = new Annotation { Id = Guid.CreateVersion7(), SlideId = slide.Id, Author = by.User, CreatedAt = now };
            Apply(annotation, feature, now);
            db.Annotations.Add(annotation);
            db.AnnotationHistory.Add(History(annotation, "create", by, null, annotation.FeatureJson));
            created.Add(annotation);
        }
        await db.SaveChangesAsync(cancellationToken);
        return created;
    }

    public async Task<Annotation> ReplaceAsync(Annotation annotation, JsonObject feature, Requester by, CancellationToken cancellationToken)
    {
        var before = annotation.FeatureJson;
        Apply(annotation, feature, DateTime.UtcNow);
        db.AnnotationHistory.Add(History(annotation, "update", by, before, annotation.FeatureJson));
        await db.SaveChangesAsync(cancellationToken);
        return annotation;
    }

    public async Task DeleteAsync(Annotation annotation, Requester by, CancellationToken cancellationToken)
    {
        annotation.DeletedAt = DateTime.UtcNow;
        db.AnnotationHistory.Add(History(annotation, "delete", by, annotation.FeatureJson, null));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Normalises what is stored: the server owns id, author and layer (a client cannot write into another user's
    /// layer or forge the author); objectType "annotation" is what QuPath expects on import.
    /// </summary>
    private static void Apply(Annotation annotation, JsonObject feature, DateTime now)
    {
        var properties = feature["properties"] as JsonObject ?? [];
        var layer = (string?)properties["layer"] ?? DefaultLayer;
        properties["layer"] = layer;
        properties["author"] = annotation.Author;
        properties["objectType"] ??= "annotation";
        var stored = new JsonObject
        {
            ["type"] = "Feature",
            ["id"] = annotation.Id.ToString(),
            ["geometry"] = feature["geometry"]!.DeepClone(),
            ["properties"] = properties.DeepClone(),
        };
        annotation.Layer = layer;
        annotation.GeometryType = (string)stored["geometry"]!["type"]!;
        annotation.ClassificationName = properties["classification"] is JsonObject c && c["name"] is JsonValue n ? (string?)n : null;
        annotation.FeatureJson = stored.ToJsonString();
        annotation.UpdatedAt = now;
    }

    private static AnnotationHistory History(Annotation annotation, string action, Requester by, string? before, string? after) => new()
    {
        Id = Guid.CreateVersion7(), AnnotationId = annotation.Id, SlideId = annotation.SlideId, Action = action, User = by.User,
        BeforeJson = before, AfterJson = after, At = DateTime.UtcNow,
    };
}
