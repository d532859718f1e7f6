using System.Text.Json;
using Halflife.Contracts;
using Halflife.Models;
using Halflife.Models.Registry;
using Halflife.Segmentation.Jobs;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Halflife.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Halflife.Segmentation.Api;

/// <summary>
/// /api/segmentation/jobs: start (queued on the bus), list, status, cancel. Every job route answers 404 for a job of a
/// slide in a project the caller is not in, exactly as for a job that does not exist (existence is not leaked).
/// </summary>
public static class JobEndpoints
{
    public static RouteGroupBuilder MapJobEndpoints(this RouteGroupBuilder api)
    {
        var view = api.MapGroup("/jobs").WithGroupName("segmentation-view");
        view.MapGet("/", ListAsync).WithName("ListSegmentationJobs");
        view.MapGet("/{id:guid}", GetAsync).WithName("GetSegmentationJob");

        var change = api.MapGroup("/jobs").WithGroupName("segmentation-change");
        change.MapPost("/", StartAsync).WithName("StartSegmentationJob");
        change.MapPost("/{id:guid}/cancel", CancelAsync).WithName("CancelSegmentationJob");
        return api;
    }

    /// <summary>The job if it exists and the caller may see its slide's project; else null (answer 404).</summary>
    public static async Task<SegmentationJob?> FindVisibleAsync(this SegmentationDbContext db, Guid id, ProjectAccess access, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, cancellationToken);
        return job is not null && access.CanSee(job.ProjectId) ? job : null;
    }

    public static IResult JobNotFound(Guid id) => Problem(StatusCodes.Status404NotFound, $"Segmentation job {id} does not exist.");

    public static IResult Problem(int status, string detail) => Results.Problem(detail: detail, statusCode: status);

    private static async Task<IResult> StartAsync(HttpContext http, SegmentationDbContext db, ModelRegistry registry, ProjectAccess access,
        OutboxSignal<SegmentationDbContext> outbox, IOptions<SegmentationOptions> options, CancellationToken cancellationToken)
    {
        StartJobRequest? request;
        try
        {
            request = await http.Request.ReadFromJsonAsync<StartJobRequest>(cancellationToken);
        }
        catch (Exception e) when (e is JsonException or BadHttpRequestException or InvalidOperationException)
        {
            return Problem(StatusCodes.Status400BadRequest, $"The body must be JSON {{\"slideId\": \"<guid>\", \"model\"?, \"modelVersion\"?, \"region\"?}}: {e.Message}");
        }
        if (request is null || request.SlideId == Guid.Empty) return Problem(StatusCodes.Status400BadRequest, "slideId is required.");

        var slide = await db.Slides.AsNoTracking().FirstOrDefaultAsync(s => s.SlideId == request.SlideId, cancellationToken);
        if (slide is null || !access.CanSee(slide.ProjectId))
            return Problem(StatusCodes.Status404NotFound, $"Slide {request.SlideId} does not exist (or its upload has not reached the Segmentation service yet).");
        if (request.Region is { } region && RegionError(region, slide) is { } regionError)
            return Problem(StatusCodes.Status400BadRequest, regionError);

        var name = string.IsNullOrWhiteSpace(request.Model) ? options.Value.DefaultModel : request.Model.Trim();
        if (!ModelNames.IsValidName(name)) return Problem(StatusCodes.Status400BadRequest, $"'{name}' is not a model name.");
        if (request.ModelVersion is { } asked && !ModelNames.IsValidVersion(asked))
            return Problem(StatusCodes.Status400BadRequest, $"'{asked}' is not a model version.");
        var version = request.ModelVersion ?? (await registry.GetActivationAsync(name, cancellationToken))?.Version;
        if (version is null)
            return Problem(StatusCodes.Status404NotFound, $"Model '{name}' has no active version (upload one: POST /api/models, then activate it).");
        if (await registry.GetAsync(name, version, cancellationToken) is null)
            return Problem(StatusCodes.Status404NotFound, $"Model '{name}' version {version} is not in the registry.");
        var card = await registry.GetCardAsync(name, version, cancellationToken);
        if (SegmentationCardCheck.Problem(card) is { } notRunnable)
            return Problem(StatusCodes.Status422UnprocessableEntity, $"Model '{name}' {version} cannot run as a segmentation: {notRunnable}");

        var now = DateTime.UtcNow;
        var by = http.User.Identity?.Name is { Length: > 0 } user ? user : "anonymous";
        var job = new SegmentationJob
        {
            Id = Guid.CreateVersion7(), SlideId = slide.SlideId, ProjectId = slide.ProjectId, SlideBlobKey = slide.BlobKey,
            ModelName = name, ModelVersion = version, RegionX = request.Region?.X, RegionY = request.Region?.Y,
            RegionWidth = request.Region?.Width, RegionHeight = request.Region?.Height, State = JobState.Queued, Stage = "queued",
            RequestedBy = by, CreatedAt = now, UpdatedAt = now,
        };
        db.Jobs.Add(job);
        db.EnqueueEvent(new SegmentationRequested(job.Id, job.SlideId, job.SlideBlobKey, job.ProjectId, name, version,
            job.RegionX, job.RegionY, job.RegionWidth, job.RegionHeight, by, new DateTimeOffset(now)));
        await db.SaveChangesAsync(cancellationToken);
        outbox.Notify();
        return Results.Accepted($"/api/segmentation/jobs/{job.Id}", SegmentationJobDto.From(job));
    }

    private static string? RegionError(RegionDto region, KnownSlide slide)
    {
        if (region.Width <= 0 || region.Height <= 0) return "region.width and region.height must be positive.";
        if (region.X < 0 || region.Y < 0 || region.X + region.Width > slide.Width || region.Y + region.Height > slide.Height)
            return $"The region ({region.X}, {region.Y}, {region.Width} x {region.Height}) lies outside the slide (0..{slide.Width} x 0..{slide.Height} level-0 pixels).";
        return null;
    }

    private static async Task<IResult> ListAsync(Guid? slideId, int? limit, SegmentationDbContext db, ProjectAccess access, CancellationToken cancellationToken)
    {
        var query = db.Jobs.AsNoTracking();
        if (slideId is not null) query = query.Where(j => j.SlideId == slideId);
        if (!access.SeesAll)
        {
            var projects = access.Projects.ToList();
            var unassigned = access.SeesUnassigned;
            query = query.Where(j => (j.ProjectId == null && unassigned) || (j.ProjectId != null && projects.Contains(j.ProjectId)));
        }
        var take = Math.Clamp(limit ?? 50, 1, 500);
        var jobs = await query.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id).Take(take).ToListAsync(cancellationToken);
        return Results.Ok(jobs.Select(SegmentationJobDto.From));
    }

    private static async Task<IResult> GetAsync(Guid id, SegmentationDbContext db, ProjectAccess access, CancellationToken cancellationToken) =>
        await db.FindVisibleAsync(id, access, cancellationToken) is { } job ? Results.Ok(SegmentationJobDto.From(job)) : JobNotFound(id);

    /// <summary>A queued job is cancelled at once; a running one is flagged and its worker stops within a batch.</summary>
    private static async Task<IResult> CancelAsync(Guid id, SegmentationDbContext db, ProjectAccess access, CancellationToken cancellationToken)
    {
        var job = await db.FindVisibleAsync(id, access, cancellationToken);
        if (job is null) return JobNotFound(id);
        var now = DateTime.UtcNow;
        var changed = await db.Jobs.Where(j => j.Id == id && j.State == JobState.Queued).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.State, JobState.Cancelled).SetProperty(j => j.Stage, "cancelled").SetProperty(j => j.CancelRequested, true)
            .SetProperty(j => j.FinishedAt, now).SetProperty(j => j.UpdatedAt, now), cancellationToken);
        if (changed == 0)
            changed = await db.Jobs.Where(j => j.Id == id && j.State == JobState.Running).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.CancelRequested, true).SetProperty(j => j.UpdatedAt, now), cancellationToken);
        if (changed == 0)
            return Problem(StatusCodes.Status409Conflict, $"Segmentation job {id} has already ended ({job.State.ToString().ToLowerInvariant()}).");
        job = await db.Jobs.AsNoTracking().FirstAsync(j => j.Id == id, cancellationToken);
        return Results.Accepted($"/api/segmentation/jobs/{id}", SegmentationJobDto.From(job));
    }
}
