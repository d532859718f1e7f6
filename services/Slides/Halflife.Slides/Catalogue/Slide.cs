namespace Halflife.Slides.Catalogue;

/// <summary>One whole-slide image in the catalogue. The original file is the blob; this row indexes and describes it.</summary>
public sealed class Slide
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    /// <summary>Tags stored as "|a|b|" so a tag filter is one indexable LIKE on SQLite and PostgreSQL alike.</summary>
    public string Tags { get; set; } = "";
    /// <summary>The uploader's file name: metadata only, never used as a path.</summary>
    public string FileName { get; set; } = "";
    public string BlobKey { get; set; } = "";
    public string Sha256 { get; set; } = "";
    public long SizeBytes { get; set; }
    public string Vendor { get; set; } = "";
    public long Width { get; set; }
    public long Height { get; set; }
    public int LevelCount { get; set; }
    /// <summary>JSON array of {width, height, downsample} per level.</summary>
    public string LevelsJson { get; set; } = "[]";
    public double? MppX { get; set; }
    public double? MppY { get; set; }
    public double? ObjectivePower { get; set; }
    /// <summary>Comma-separated associated image names (thumbnail, label, macro).</summary>
    public string AssociatedImages { get; set; } = "";
    public string? ProjectId { get; set; }
    public string UploadedBy { get; set; } = "";
    public DateTime UploadedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>Soft delete: the row stays for the audit trail; the blob and tiles are gone.</summary>
    public DateTime? DeletedAt { get; set; }

    public IReadOnlyList<string> TagList => Tags.Split('|', StringSplitOptions.RemoveEmptyEntries);

    public static string JoinTags(IEnumerable<string> tags) =>
        tags.Any() ? "|" + string.Join('|', tags) + "|" : "";
}

/// <summary>Who did what to a slide, when, from where. Kept after the slide is deleted.</summary>
public sealed class SlideAuditRecord
{
    public Guid Id { get; set; }
    public Guid SlideId { get; set; }
    /// <summary>"upload", "update", "delete", "download".</summary>
    public string Action { get; set; } = "";
    public string User { get; set; } = "";
    public string? RemoteIp { get; set; }
    public string? Details { get; set; }
    public DateTime At { get; set; }
}

/// <summary>A resumable upload in progress. The received bytes live in a temp file; its length is the offset.</summary>
public sealed class UploadSession
{
    public Guid Id { get; set; }
    public string FileName { get; set; } = "";
    public long Size { get; set; }
    public string? Sha256 { get; set; }
    public string? ProjectId { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}
