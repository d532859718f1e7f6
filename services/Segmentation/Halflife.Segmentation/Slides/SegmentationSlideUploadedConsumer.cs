using Halflife.Contracts;
using Halflife.Imaging.Slides;
using Halflife.Segmentation.Jobs;
using Halflife.ServiceDefaults.Persistence.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Segmentation.Slides;

/// <summary>
/// Learns each uploaded slide from the Slides service's SlideUploaded event: blob key and project (for scoping and
/// for the worker), and its level-0 size and resolution, read once with OpenSlide so that a request's region can be
/// checked when it is made. The copy this takes stays in the worker's slide cache, so the first job starts at once.
/// </summary>
public sealed class SegmentationSlideUploadedConsumer(
    SegmentationDbContext db, SlideFileCache slides, ILogger<SegmentationSlideUploadedConsumer> logger) : IConsumer<SlideUploaded>
{
    public async Task Consume(ConsumeContext<SlideUploaded> context)
    {
        var message = context.Message;
        if (!await db.TryBeginProcessingAsync(context, nameof(SegmentationSlideUploadedConsumer))) return;
        if (await db.Slides.AnyAsync(s => s.SlideId == message.SlideId, context.CancellationToken))
        {
            await db.SaveChangesAsync(context.CancellationToken);
            return;
        }

        var path = await slides.EnsureAsync(message.BlobKey, context.CancellationToken);
        var known = new KnownSlide
        {
            SlideId = message.SlideId, Name = message.Name, BlobKey = message.BlobKey, ProjectId = message.ProjectId,
            UploadedAt = message.UploadedAt.UtcDateTime,
        };
        try
        {
            using var image = WholeSlideImage.Open(path);
            known.Width = image.Dimensions.Width;
            known.Height = image.Dimensions.Height;
            known.MppX = image.Properties.MicronsPerPixelX;
            known.MppY = image.Properties.MicronsPerPixelY;
        }
        catch (SlideFormatException e)
        {
            // The Slides service accepted it, so this is unexpected; the slide stays unknown here (requests get 404).
            logger.LogWarning(e, "Slide {Id} ({BlobKey}) cannot be opened for segmentation", message.SlideId, message.BlobKey);
            await db.SaveChangesAsync(context.CancellationToken);
            return;
        }
        db.Slides.Add(known);
        await db.SaveChangesAsync(context.CancellationToken);
        logger.LogInformation("Slide {Id} ({Width}x{Height}) is known to segmentation", known.SlideId, known.Width, known.Height);
    }
}
