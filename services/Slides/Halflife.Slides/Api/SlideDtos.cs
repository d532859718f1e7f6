using System.Text.Json;
using Halflife.Slides.Catalogue;
using Halflife.Slides.Upload;

namespace Halflife.Slides.Api;

public sealed record StartUploadRequest(string FileName, long Size, string? Sha256, string? ProjectId);
public sealed record UploadStatus(Guid UploadId, string FileName, long Size, long Offset);
public sealed record CompleteUploadRequest(string? Sha256);
public sealed record UpdateSlideRequest(string? Name, string? Description, IReadOnlyList<string>? Tags);
public sealed record AuditEntry(string Action, string User, string? RemoteIp, string? Details, DateTimeOffset At);

public sealed record SlideSummary(Guid Id, string Name, string? Description, IReadOnlyList<string> Tags, string FileName, long SizeBytes,
    string Vendor, long Width, long Height, DateTimeOffset UploadedAt, string UploadedBy);

public sealed record SlideDetails(Guid Id, string Name, string? Description, IReadOnlyList<string> Tags, string FileName, long SizeBytes,
    string Sha256, string Vendor, long Width, long Height, IReadOnlyList<SlideLevel> Levels, double? MppX, double? MppY,
    double? ObjectivePower, IReadOnlyList<string> AssociatedImages, string? ProjectId, string UploadedBy, DateTimeOffset UploadedAt,
    DateTimeOffset UpdatedAt, string DziUrl);

internal static class SlideMapping
{
    public static DateTimeOffset AsUtc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static SlideSummary ToSummary(this Slide s) =>
        new(s.Id, s.Name, s.Description, s.TagList, s.FileName, s.SizeBytes, s.Vendor, s.Width, s.Height, AsUtc(s.UploadedAt), s.UploadedBy);

    public static SlideDetails ToDetails(this Slide s) =>
        new(s.Id, s.Name, s.Description, s.TagList, s.FileName, s.SizeBytes, s.Sha256, s.Vendor, s.Width, s.Height,
            JsonSerializer.Deserialize<List<SlideLevel>>(s.LevelsJson) ?? [], s.MppX, s.MppY, s.ObjectivePower,
            s.AssociatedImages.Split(',', StringSplitOptions.RemoveEmptyEntries), s.ProjectId, s.UploadedBy, AsUtc(s.UploadedAt),
            AsUtc(s.UpdatedAt), $"/api/slides/{s.Id}.dzi");

    public static IResult Problem(int status, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: detail, statusCode: status, extensions: extensions);

    public static IResult NotFound(Guid id) => Problem(StatusCodes.Status404NotFound, $"Slide {id} is not in the catalogue.");

    public static IResult ToProblem(this UploadException e) =>
        Problem(e.StatusCode, e.Message, e.CurrentOffset is { } offset ? new Dictionary<string, object?> { ["offset"] = offset } : null);
}
