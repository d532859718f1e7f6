using System.Text.Json;
using Halflife.Contracts;
using Halflife.Imaging.Slides;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Halflife.ServiceDefaults.Storage;
using Halflife.Slides.Catalogue;
using Halflife.Slides.Tiles;

namespace Halflife.Slides.Upload;

/// <summary>
/// Turns a fully received file into a catalogued slide: checksum, type sniffing, OpenSlide metadata, the original
/// into the blob store under its content hash, the row + audit + SlideUploaded in one transaction (outbox).
/// Anything refused leaves nothing behind.
/// </summary>
public sealed class SlideImporter(
    SlidesDbContext db,
    IBlobStore blobs,
    LocalSlideCache slideCache,
    OutboxSignal<SlidesDbContext> outbox,
    ILogger<SlideImporter> logger)
{
    public const string BlobPrefix = "slides/originals";

    public sealed record Request(string Path, string FileName, long? ExpectedSize, string? ExpectedSha256, string? ProjectId, Requester By);

    /// <exception cref="UploadException">Wrong size or checksum (400), not a TIFF-family file (415), unreadable (422).</exception>
    public async Task<Slide> ImportAsync(Request request, CancellationToken cancellationToken)
    {
        var length = new FileInfo(request.Path).Length;
        if (request.ExpectedSize is { } size && size != length)
            throw new UploadException(StatusCodes.Status400BadRequest, $"Received {length} bytes, the upload declared {size}.");
        var sha256 = await UploadArea.HashAsync(request.Path, cancellationToken);
        if (request.ExpectedSha256 is { } expected && !string.Equals(expected, sha256, StringComparison.OrdinalIgnoreCase))
            throw new UploadException(StatusCodes.Status400BadRequest, $"SHA-256 mismatch: the upload declared {expected.ToLowerInvariant()}, the received bytes hash to {sha256}.");
        if (!SlideFileSniffer.IsTiffFile(request.Path))
            throw new UploadException(StatusCodes.Status415UnsupportedMediaType, "Only TIFF-based slides (SVS, NDPI, pyramidal TIFF) are accepted; the file does not start with a TIFF header.");

        var slide = Describe(request, sha256, length);
        slide.BlobKey = BlobKey.ForHash(BlobPrefix, sha256, SlideFileSniffer.ExtensionFor(request.FileName));
        if (!await blobs.ExistsAsync(slide.BlobKey, cancellationToken))
        {
            await using var content = File.OpenRead(request.Path);
            await blobs.PutAsync(slide.BlobKey, content, "application/octet-stream", cancellationToken);
        }

        db.Slides.Add(slide);
        db.AuditRecords.Add(request.By.Audit(slide.Id, "upload", $"{request.FileName} ({length} bytes, sha256 {sha256})"));
        db.EnqueueEvent(new SlideUploaded(slide.Id, slide.Name, slide.BlobKey, length, slide.ProjectId, new DateTimeOffset(slide.UploadedAt)));
        await db.SaveChangesAsync(cancellationToken);
        outbox.Notify();
        slideCache.Adopt(slide, request.Path);
        logger.LogInformation("Slide {Id} ({Vendor}, {Width}x{Height}) uploaded by {User}", slide.Id, slide.Vendor, slide.Width, slide.Height, request.By.User);
        return slide;
    }

    private static Slide Describe(Request request, string sha256, long length)
    {
        WholeSlideImage image;
        try
        {
            image = WholeSlideImage.Open(request.Path);
        }
        catch (SlideFormatException e)
        {
            throw new UploadException(StatusCodes.Status422UnprocessableEntity, $"OpenSlide cannot read the slide: {e.Message}");
        }

        using (image)
        {
            var now = DateTime.UtcNow;
            var name = Path.GetFileNameWithoutExtension(request.FileName);
            return new Slide
            {
                Id = Guid.CreateVersion7(), Name = string.IsNullOrWhiteSpace(name) ? "slide" : name[..Math.Min(name.Length, 256)],
                FileName = request.FileName, Sha256 = sha256, SizeBytes = length, Vendor = image.Vendor,
                Width = image.Dimensions.Width, Height = image.Dimensions.Height, LevelCount = image.LevelCount,
                LevelsJson = JsonSerializer.Serialize(image.LevelDimensions.Select((d, i) =>
                    new SlideLevel(d.Width, d.Height, image.LevelDownsamples[i]))),
                MppX = image.Properties.MicronsPerPixelX, MppY = image.Properties.MicronsPerPixelY,
                ObjectivePower = image.Properties.Objective, AssociatedImages = string.Join(',', image.AssociatedImageNames),
                ProjectId = request.ProjectId, UploadedBy = request.By.User, UploadedAt = now, UpdatedAt = now,
            };
        }
    }
}

public sealed record SlideLevel(long Width, long Height, double Downsample);
