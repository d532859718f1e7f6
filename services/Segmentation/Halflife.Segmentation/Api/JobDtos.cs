using Halflife.Segmentation.Jobs;
using Halflife.Segmentation.Overlay;
using Halflife.Segmentation.Worker;

namespace Halflife.Segmentation.Api;

public sealed record RegionDto(long X, long Y, long Width, long Height);

/// <summary>POST /api/segmentation/jobs.</summary>
public sealed record StartJobRequest(Guid SlideId, string? Model, string? ModelVersion, RegionDto? Region);

public sealed record OverlayDto(string Dzi, int Width, int Height, double Downsample);

/// <summary>A job as the API shows it (docs/segmentation.md); <c>Worker</c> is the worker that holds or last held it.</summary>
public sealed record SegmentationJobDto(
    Guid Id, Guid SlideId, string Model, string ModelVersion, string State, string? Stage,
    int TilesTotal, int TilesDone, int TilesSkipped, double SkippedFraction, double Progress, string? Error,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    IReadOnlyList<OverlayClass> Classes, OverlayDto? Overlay, string AnnotationLayer, RegionDto? Region, int PolygonCount,
    string? Worker)
{
    public static SegmentationJobDto From(SegmentationJob j) => new(
        j.Id, j.SlideId, j.ModelName, j.ModelVersion, j.State.ToString().ToLowerInvariant(), j.Stage,
        j.TilesTotal, j.TilesDone, j.TilesSkipped, j.SkippedFraction, ProgressOf(j), j.Error,
        Utc(j.CreatedAt), j.StartedAt is { } s ? Utc(s) : null, j.FinishedAt is { } f ? Utc(f) : null,
        OverlayClass.FromJson(j.ClassesJson),
        j.OverlayWidth > 0 ? new OverlayDto($"/api/segmentation/jobs/{j.Id}/overlay.dzi", j.OverlayWidth, j.OverlayHeight, j.OverlayDownsample) : null,
        ContourDocument.Layer,
        j.RegionWidth is { } w && j.RegionHeight is { } h ? new RegionDto(j.RegionX ?? 0, j.RegionY ?? 0, w, h) : null,
        j.PolygonCount, j.WorkerId);

    /// <summary>Share of the planned tiles done (skipped background counts as done at once); 1 once the job succeeded.</summary>
    private static double ProgressOf(SegmentationJob j)
    {
        if (j.State == JobState.Succeeded) return 1;
        return j.TilesTotal <= 0 ? 0 : Math.Clamp((double)j.TilesDone / j.TilesTotal, 0, 1);
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
