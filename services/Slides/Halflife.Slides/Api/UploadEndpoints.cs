using System.Globalization;
using Halflife.ServiceDefaults.Security;
using Halflife.ServiceDefaults.Security.Audit;
using Halflife.Slides.Catalogue;
using Halflife.Slides.Upload;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Halflife.Slides.Api;

/// <summary>
/// Resumable chunked upload (tus-like, plain HTTP): start, append chunks at the current offset, ask for the offset
/// after a drop, complete. Bodies are streamed to disk; nothing holds a slide in memory.
/// </summary>
public static class UploadEndpoints
{
    public const string OffsetHeader = "Upload-Offset";
    private const int MaxFileNameLength = 255;

    public static RouteGroupBuilder MapUploadEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/uploads", StartAsync).WithName("StartSlideUpload");
        group.MapMethods("/uploads/{id:guid}", ["HEAD", "GET"], StatusAsync).WithName("GetSlideUpload");
        group.MapPut("/uploads/{id:guid}", AppendAsync).WithName("AppendSlideUpload");
        group.MapPost("/uploads/{id:guid}/complete", CompleteAsync).WithName("CompleteSlideUpload").Audited(AuditActions.Create, AuditResources.Slide, resourceId: AuditEndpointExtensions.CreatedId);
        group.MapDelete("/uploads/{id:guid}", CancelAsync).WithName("CancelSlideUpload");
        group.MapPost("/", UploadWholeAsync).WithName("UploadSlide").Audited(AuditActions.Create, AuditResources.Slide, resourceId: AuditEndpointExtensions.CreatedId);
        return group;
    }

    private static async Task<IResult> StartAsync(StartUploadRequest request, SlidesDbContext db, IOptions<SlidesOptions> options, ProjectAccess access,
        HttpContext context, CancellationToken cancellationToken)
    {
        var (allowed, projectId) = access.ForNewData(request.ProjectId);
        if (!allowed) return SlideMapping.Problem(StatusCodes.Status403Forbidden, $"You are not a member of project '{request.ProjectId ?? "default"}'.");
        if (ValidateFileName(request.FileName) is { } bad) return bad;
        if (request.Size <= 0 || request.Size > options.Value.MaxSlideBytes)
            return SlideMapping.Problem(StatusCodes.Status400BadRequest, $"size must be between 1 and {options.Value.MaxSlideBytes} bytes.");
        if (request.Sha256 is not null && !IsSha256(request.Sha256))
            return SlideMapping.Problem(StatusCodes.Status400BadRequest, "sha256 must be 64 hexadecimal characters.");
        var session = new UploadSession
        {
            Id = Guid.CreateVersion7(), FileName = request.FileName, Size = request.Size, Sha256 = request.Sha256?.ToLowerInvariant(),
            ProjectId = projectId, CreatedBy = Requester.From(context).User, CreatedAt = DateTime.UtcNow,
        };
        db.Uploads.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return Results.Created($"/api/slides/uploads/{session.Id}", new UploadStatus(session.Id, session.FileName, session.Size, 0));
    }

    private static async Task<IResult> StatusAsync(Guid id, SlidesDbContext db, UploadArea area, HttpContext context, CancellationToken cancellationToken)
    {
        var session = await db.Uploads.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (session is null) return SlideMapping.Problem(StatusCodes.Status404NotFound, $"Upload {id} does not exist (completed, cancelled or never started).");
        var offset = area.OffsetOf(id);
        context.Response.Headers[OffsetHeader] = offset.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        return Results.Ok(new UploadStatus(id, session.FileName, session.Size, offset));
    }

    /// <summary>The chunk's offset comes from Content-Range ("bytes start-end/total") or the Upload-Offset header.</summary>
    private static async Task<IResult> AppendAsync(Guid id, SlidesDbContext db, UploadArea area, HttpContext context, CancellationToken cancellationToken)
    {
        var session = await db.Uploads.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (session is null) return SlideMapping.Problem(StatusCodes.Status404NotFound, $"Upload {id} does not exist.");
        if (!TryGetOffset(context.Request, out var offset))
            return SlideMapping.Problem(StatusCodes.Status400BadRequest, $"Give the chunk's position as Content-Range: bytes start-end/total or an {OffsetHeader} header.");
        // Chunks are bounded by MaxChunkBytes in UploadArea; Kestrel's global body limit must not cut them first.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
        try
        {
            var newOffset = await area.AppendAsync(id, offset, session.Size, context.Request.Body, cancellationToken);
            context.Response.Headers[OffsetHeader] = newOffset.ToString(CultureInfo.InvariantCulture);
            return Results.Ok(new UploadStatus(id, session.FileName, session.Size, newOffset));
        }
        catch (UploadException e)
        {
            if (e.CurrentOffset is { } current) context.Response.Headers[OffsetHeader] = current.ToString(CultureInfo.InvariantCulture);
            return e.ToProblem();
        }
    }

    private static async Task<IResult> CompleteAsync(Guid id, CompleteUploadRequest? request, SlidesDbContext db, UploadArea area, SlideImporter importer,
        HttpContext context, CancellationToken cancellationToken)
    {
        var session = await db.Uploads.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (session is null) return SlideMapping.Problem(StatusCodes.Status404NotFound, $"Upload {id} does not exist.");
        var sha256 = request?.Sha256 ?? session.Sha256;
        if (sha256 is null || !IsSha256(sha256))
            return SlideMapping.Problem(StatusCodes.Status400BadRequest, "A SHA-256 of the whole file (64 hex characters) is required, at start or at complete.");
        if (session.Sha256 is not null && !string.Equals(session.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
            return SlideMapping.Problem(StatusCodes.Status400BadRequest, "The SHA-256 given at complete differs from the one given at start.");
        var offset = area.OffsetOf(id);
        if (offset != session.Size)
            return SlideMapping.Problem(StatusCodes.Status409Conflict, $"The upload has {offset} of {session.Size} bytes.", new Dictionary<string, object?> { ["offset"] = offset });

        try
        {
            var slide = await importer.ImportAsync(new SlideImporter.Request(area.PathFor(id), session.FileName, session.Size, sha256, session.ProjectId,
                Requester.From(context)), cancellationToken);
            db.Uploads.Remove(session);
            await db.SaveChangesAsync(cancellationToken);
            return Results.Created($"/api/slides/{slide.Id}", slide.ToDetails());
        }
        catch (UploadException e)
        {
            // A refused file is discarded: the client starts over rather than resuming a file that can never pass.
            area.Discard(id);
            db.ChangeTracker.Clear();
            await db.Uploads.Where(u => u.Id == id).ExecuteDeleteAsync(cancellationToken);
            return e.ToProblem();
        }
    }

    private static async Task<IResult> CancelAsync(Guid id, SlidesDbContext db, UploadArea area, CancellationToken cancellationToken)
    {
        var deleted = await db.Uploads.Where(u => u.Id == id).ExecuteDeleteAsync(cancellationToken);
        area.Discard(id);
        return deleted == 0 ? SlideMapping.Problem(StatusCodes.Status404NotFound, $"Upload {id} does not exist.") : Results.NoContent();
    }

    /// <summary>Single-request upload for small slides: the body is the file, streamed to disk like a chunk.</summary>
    private static async Task<IResult> UploadWholeAsync(string? fileName, string? sha256, string? projectId, UploadArea area, SlideImporter importer,
        IOptions<SlidesOptions> options, ProjectAccess access, HttpContext context, CancellationToken cancellationToken)
    {
        var (allowed, project) = access.ForNewData(projectId);
        if (!allowed) return SlideMapping.Problem(StatusCodes.Status403Forbidden, $"You are not a member of project '{projectId}'.");
        projectId = project;
        fileName ??= "slide.svs";
        if (ValidateFileName(fileName) is { } bad) return bad;
        if (sha256 is not null && !IsSha256(sha256)) return SlideMapping.Problem(StatusCodes.Status400BadRequest, "sha256 must be 64 hexadecimal characters.");
        var length = context.Request.ContentLength;
        if (length is null or <= 0) return SlideMapping.Problem(StatusCodes.Status411LengthRequired, "Send the slide as the body with a Content-Length.");
        var max = options.Value.MaxSingleRequestBytes;
        if (length > max)
            return SlideMapping.Problem(StatusCodes.Status413PayloadTooLarge, $"Single-request uploads are limited to {max} bytes; use /api/slides/uploads.");
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit) bodyLimit.MaxRequestBodySize = null;
        var id = Guid.NewGuid();
        try
        {
            await area.AppendAsync(id, 0, length.Value, context.Request.Body, cancellationToken, max);
            var slide = await importer.ImportAsync(new SlideImporter.Request(area.PathFor(id), fileName, length, sha256, projectId, Requester.From(context)),
                cancellationToken);
            return Results.Created($"/api/slides/{slide.Id}", slide.ToDetails());
        }
        catch (UploadException e)
        {
            return e.ToProblem();
        }
        finally
        {
            area.Discard(id);
        }
    }

    private static IResult? ValidateFileName(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName) || fileName.Length > MaxFileNameLength || fileName.Any(char.IsControl))
            return SlideMapping.Problem(StatusCodes.Status400BadRequest, $"fileName must be 1 to {MaxFileNameLength} printable characters.");
        return null;
    }

    private static bool IsSha256(string value) => value.Length == 64 && value.All(char.IsAsciiHexDigit);

    private static bool TryGetOffset(HttpRequest request, out long offset)
    {
        offset = 0;
        if (request.Headers.ContentRange.Count > 0)
        {
            if (!ContentRangeHeaderValue.TryParse(request.Headers.ContentRange.ToString(), out var range) || range.From is null) return false;
            offset = range.From.Value;
            return true;
        }
        return long.TryParse(request.Headers[OffsetHeader], NumberStyles.None, CultureInfo.InvariantCulture, out offset);
    }
}
