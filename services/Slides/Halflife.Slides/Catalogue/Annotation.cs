namespace Halflife.Slides.Catalogue;

/// <summary>A human annotation on a slide: one GeoJSON Feature in level-0 pixel coordinates.</summary>
public sealed class Annotation
{
    public Guid Id { get; set; }
    public Guid SlideId { get; set; }
    public string Layer { get; set; } = "";
    public string Author { get; set; } = "";
    public string GeometryType { get; set; } = "";
    public string? ClassificationName { get; set; }
    /// <summary>The feature as stored (geometry + properties), with id/author/layer filled in by the server.</summary>
    public string FeatureJson { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? DeletedAt { get; set; }
}

/// <summary>One change to an annotation: before/after JSON, so any state can be reconstructed and reviewed.</summary>
public sealed class AnnotationHistory
{
    public Guid Id { get; set; }
    public Guid AnnotationId { get; set; }
    public Guid SlideId { get; set; }
    /// <summary>"create", "update", "delete".</summary>
    public string Action { get; set; } = "";
    public string User { get; set; } = "";
    public string? BeforeJson { get; set; }
    public string? AfterJson { get; set; }
    public DateTime At { get; set; }
}
