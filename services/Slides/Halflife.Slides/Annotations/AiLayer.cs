using System.Text.Json.Nodes;
using Halflife.Slides.Catalogue;

namespace Halflife.Slides.Annotations;

/// <summary>
/// The "AI" annotation layer: contours a segmentation model proposed (author <see cref="Author"/>), each with
/// properties class, probability, model, modelVersion, jobId and status. Unlike a person's layer, which only its
/// author changes, any user allowed to annotate reviews it through the ordinary annotation API: PUT the feature with
/// status "accepted" (or with an edited geometry), or DELETE it. The history keeps who did which.
/// </summary>
public static class AiLayer
{
    public const string Name = "AI";
    public const string Author = "ai";
    public const string Proposed = "proposed";
    public static readonly IReadOnlyList<string> Statuses = [Proposed, "accepted", "rejected"];

    public static bool IsReviewable(Annotation annotation) => annotation.Layer == Name && annotation.Author == Author;

    /// <summary>
    /// For a replacement of an AI feature: keeps it in the AI layer when the client left the layer out, and checks
    /// the status. Returns the error, or null.
    /// </summary>
    public static string? PrepareReplacement(Annotation annotation, JsonObject feature)
    {
        if (!IsReviewable(annotation)) return null;
        if (feature["properties"] is not JsonObject properties)
            feature["properties"] = properties = [];
        properties["layer"] ??= Name;
        if (properties["status"] is JsonValue status && (!status.TryGetValue<string>(out var s) || !Statuses.Contains(s)))
            return $"properties.status of an AI feature must be one of {string.Join(", ", Statuses)}.";
        return null;
    }

    /// <summary>Whether a stored AI feature is still an unreviewed proposal of <paramref name="model"/>.</summary>
    public static bool IsUnreviewedProposalOf(Annotation annotation, string model)
    {
        if (!IsReviewable(annotation)) return false;
        var properties = JsonNode.Parse(annotation.FeatureJson)?["properties"];
        return (string?)properties?["status"] == Proposed && (string?)properties?["model"] == model;
    }
}
