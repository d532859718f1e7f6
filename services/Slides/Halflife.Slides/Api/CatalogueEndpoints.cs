using Halflife.Contracts;
using Halflife.Imaging.Tiles;
using Halflife.ServiceDefaults.Security;
using Halflife.ServiceDefaults.Security.Audit;
using Halflife.ServiceDefaults.Storage;
using Halflife.Slides.Catalogue;
using Halflife.Slides.Tiles;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Slides.Api;

/// <summary>Finding, describing, editing, downloading and deleting slides.</summary>
public static class CatalogueEndpoints
{
    public const string ConfirmHeader = "X-Confirm-Delete";
    private const int MaxPageSize = 200;
    private const int MaxNameLength = 256;
    private const int MaxDescriptionLength = 4000;
    private const int MaxTags = 32;
    private const int MaxTagLength = 64;

    public static RouteGroupBuilder MapCatalogueEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/", SearchAsync).WithName("SearchSlides");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetSlide").Audited(AuditActions.View, AuditResources.Slide);
        group.MapPatch("/{id:guid}", UpdateAsync).WithName("UpdateSlide").Audited(AuditActions.Change, AuditResources.Slide);
        group.MapGet("/{id:guid}/file", DownloadAsync).WithName("DownloadSlide").Audited(AuditActions.Download, AuditResources.Slide);
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteSlide").Audited(AuditActions.Delete, AuditResources.Slide);
        group.MapGet("/{id:guid}/audit", AuditAsync).WithName("GetSlideAudit");
        return group;
    }

    /// <param name="q">Substring of the name or description.</param>
    /// <param name="from">Uploaded on or after (ISO date or date-time).</param>
    /// <param name="to">Uploaded before the end of this day / before this instant.</param>
    private static async Task<IResult> SearchAsync(SlidesDbContext db, ProjectAccess access, string? q, string? tag, DateTimeOffset? from, DateTimeOffset? to,
        int page = 1, int pageSize = 50, CancellationToken cancellationToken = default)
    {
        if (page < 1 || pageSize < 1 || pageSize > MaxPageSize)
            return SlideMapping.Problem(StatusCodes.Status400BadRequest, $"page must be >= 1 and pageSize between 1 and {MaxPageSize}.");
        var query = db.Slides.AsNoTracking().Where(s => s.DeletedAt == null);
        if (!access.SeesAll)
        {
            var projects = access.Projects.ToList();
            var unassigned = access.SeesUnassigned;
            query = query.Where(s => (s.ProjectId == null && unassigned) || (s.ProjectId != null && projects.Contains(s.ProjectId)));
        }
        if (!string.IsNullOrWhiteSpace(q)) query = query.Where(s => s.Name.Contains(q) || (s.Description != null && s.Description.Contains(q)));
        if (!string.IsNullOrWhiteSpace(tag)) query = query.Where(s => s.Tags.Contains("|" + tag + "|"));
        if (from is not null) query = query.Where(s => s.UploadedAt >= from.Value.UtcDateTime);
        if (to is not null)
        {
            var end = to.Value.TimeOfDay == TimeSpan.Zero ? to.Value.UtcDateTime.AddDays(1) : to.Value.UtcDateTime;
            query = query.Where(s => s.UploadedAt < end);
        }
        var total = await query.CountAsync(cancellationToken);
        var slides = await query.OrderByDescending(s => s.UploadedAt).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return Results.Ok(new PagedResult<SlideSummary>(slides.Select(s => s.ToSummary()).ToList(), page, pageSize, total));
    }

    private static async Task<IResult> GetAsync(Guid id, SlidesDbContext db, CancellationToken cancellationToken) =>
        await db.FindLiveAsync(id, cancellationToken) is { } slide ? Results.Ok(slide.ToDetails()) : SlideMapping.NotFound(id);

    private static async Task<IResult> UpdateAsync(Guid id, UpdateSlideRequest request, SlidesDbContext db, HttpContext context, CancellationToken cancellationToken)
    {
        var slide = await db.Slides.FirstOrDefaultAsync(s => s.Id == id && s.DeletedAt == null, cancellationToken);
        if (slide is null) return SlideMapping.NotFound(id);
        if (request.Name is not null && (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > MaxNameLength))
            return SlideMapping.Problem(StatusCodes.Status400BadRequest, $"name must be 1 to {MaxNameLength} characters.");
        if (request.Description is { Length: > MaxDescriptionLength })
            return SlideMapping.Problem(StatusCodes.Status400BadRequest, $"description must be at most {MaxDescriptionLength} characters.");
        if (request.Tags is not null && (request.Tags.Count > MaxTags
            || request.Tags.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > MaxTagLength || t.Contains('|'))))
            return SlideMapping.Problem(StatusCodes.Status400BadRequest, $"At most {MaxTags} tags of 1 to {MaxTagLength} characters, without '|'.");

        var changes = new List<string>();
        if (request.Name is not null && request.Name != slide.Name) { changes.Add($"name: {slide.Name} -> {request.Name}"); slide.Name = request.Name.Trim(); }
        if (request.Description is not null && request.Description != slide.Description) { changes.Add("description"); slide.Description = request.Description; }
        if (request.Tags is not null)
        {
            var tags = Slide.JoinTags(request.Tags.Select(t => t.Trim()).Distinct(StringComparer.Ordinal));
            if (tags != slide.Tags) { changes.Add($"tags: {string.Join(',', request.Tags)}"); slide.Tags = tags; }
        }
        if (changes.Count > 0)
        {
            slide.UpdatedAt = DateTime.UtcNow;
            db.AuditRecords.Add(Requester.From(context).Audit(id, "update", string.Join("; ", changes)));
            await db.SaveChangesAsync(cancellationToken);
        }
        return Results.Ok(slide.ToDetails());
    }

    private static async Task<IResult> DownloadAsync(Guid id, SlidesDbContext db, IBlobStore blobs, HttpContext context, CancellationToken cancellationToken)
    {
        var slide = await db.FindLiveAsync(id, cancellationToken);
        if (slide is null) return SlideMapping.NotFound(id);
        return await RangeDownload.SendAsync(context, blobs, slide.BlobKey, slide.SizeBytes, slide.FileName, cancellationToken);
    }

    /// <summary>Needs ?confirm=&lt;slide name&gt; or the X-Confirm-Delete header with the name: deleting a slide deletes the original.</summary>
    private static async Task<IResult> DeleteAsync(Guid id, string? confirm, SlidesDbContext db, IBlobStore blobs, LocalSlideCache slideCache,
        DeepZoomTileService tiles, HttpContext context, CancellationToken cancellationToken)
    {
        var slide = await db.Slides.FirstOrDefaultAsync(s => s.Id == id && s.DeletedAt == null, cancellationToken);
        if (slide is null) return SlideMapping.NotFound(id);
        confirm ??= context.Request.Headers[ConfirmHeader].ToString();
        if (!string.Equals(confirm, slide.Name, StringComparison.Ordinal))
            return SlideMapping.Problem(StatusCodes.Status400BadRequest,
                $"Deleting a slide removes the original file. Confirm with ?confirm=<slide name> or the {ConfirmHeader} header.");

        slide.DeletedAt = DateTime.UtcNow;
        db.AuditRecords.Add(Requester.From(context).Audit(id, "delete", $"{slide.Name} ({slide.FileName}, sha256 {slide.Sha256})"));
        await db.SaveChangesAsync(cancellationToken);
        // Blobs are content-addressed: another live slide with the same bytes keeps the blob.
        if (!await db.Slides.AnyAsync(s => s.BlobKey == slide.BlobKey && s.DeletedAt == null, cancellationToken))
            await blobs.DeleteAsync(slide.BlobKey, cancellationToken);
        tiles.Forget(LocalSlideCache.IdOf(id));
        slideCache.Remove(id);
        return Results.NoContent();
    }

    private static async Task<IResult> AuditAsync(Guid id, SlidesDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Slides.AnyAsync(s => s.Id == id, cancellationToken)) return SlideMapping.NotFound(id);
        var records = await db.AuditRecords.AsNoTracking().Where(a => a.SlideId == id).ToListAsync(cancellationToken);
        return Results.Ok(records.OrderBy(a => a.At).Select(a => new AuditEntry(a.Action, a.User, a.RemoteIp, a.Details, SlideMapping.AsUtc(a.At))).ToList());
    }

    public static Task<Slide?> FindLiveAsync(this SlidesDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.Slides.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.DeletedAt == null, cancellationToken);
}
