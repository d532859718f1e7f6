using Halflife.Contracts;
using Halflife.Denoise.Denoised;
using Halflife.Denoise.Filtering;
using Halflife.Dicom;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Halflife.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Halflife.Denoise.Pipeline;

/// <summary>
/// Denoises a received NM instance into a derived object in a new series of the same study, stores it at
/// denoise/derived/&lt;uid&gt;.dcm, records it and announces it (ImageDenoised, through the outbox). Named after the
/// service because MassTransit names the queue after the consumer class (Restore has its own InstanceReceived consumer).
/// </summary>
public sealed class DenoiseInstanceReceivedConsumer(
    DenoiseDbContext db,
    IBlobStore blobs,
    InstanceDenoiser denoiser,
    OutboxSignal<DenoiseDbContext> outbox,
    IOptions<DenoiseOptions> options,
    ILogger<DenoiseInstanceReceivedConsumer> logger) : IConsumer<InstanceReceived>
{
    public async Task Consume(ConsumeContext<InstanceReceived> context)
    {
        var message = context.Message;
        if (!options.Value.Modalities.Contains(message.Modality, StringComparer.OrdinalIgnoreCase))
            return;
        if (!await db.TryBeginProcessingAsync(context, nameof(DenoiseInstanceReceivedConsumer)))
        {
            logger.LogInformation("Instance {Uid} was already denoised; redelivery ignored", message.SopInstanceUid);
            return;
        }

        // About 2 bytes per pixel plus the header: a bigger object cannot be an image within the pixel limit.
        var maxBytes = options.Value.MaxPixels * 4 + 16 * 1024 * 1024;
        if (message.SizeBytes > maxBytes)
        {
            logger.LogWarning("cannot denoise {Uid}: {Size} bytes exceed the limit of {Max}", message.SopInstanceUid, message.SizeBytes, maxBytes);
            await db.SaveChangesAsync(context.CancellationToken);
            return;
        }

        var parameters = denoiser.Parameters.ToString();
        using var activity = DenoiseTelemetry.Activities.StartActivity(DenoiseTelemetry.ActivityName);
        activity?.SetTag("dicom.sop_instance_uid", message.SopInstanceUid);
        activity?.SetTag("denoise.method", PoissonDenoiser.Method);
        activity?.SetTag("denoise.parameters", parameters);

        DenoiseResult? result;
        await using (var source = await OpenSeekableAsync(message.BlobKey, context.CancellationToken))
            result = await denoiser.TryDenoiseAsync(source, message.SopInstanceUid, activity, context.CancellationToken);
        if (result is null)
        {
            // A permanent failure (already logged): remember the message as processed so it is not retried forever.
            await db.SaveChangesAsync(context.CancellationToken);
            return;
        }

        var dataset = result.File.Dataset;
        var denoisedUid = dataset.GetString(DicomTag.SOPInstanceUID);
        if (await db.DenoisedInstances.AnyAsync(d => d.DenoisedSopInstanceUid == denoisedUid, context.CancellationToken))
        {
            // The same original sent again (a new message for the same SOP instance): the object already exists.
            logger.LogInformation("Instance {Uid} is already denoised as {Denoised}", message.SopInstanceUid, denoisedUid);
            await db.SaveChangesAsync(context.CancellationToken);
            return;
        }

        var key = $"denoise/derived/{denoisedUid}.dcm";
        using (var buffer = new MemoryStream())
        {
            result.File.Save(buffer);
            buffer.Position = 0;
            await blobs.PutAsync(key, buffer, "application/dicom", context.CancellationToken);
        }

        db.DenoisedInstances.Add(new DenoisedInstance
        {
            Id = Guid.CreateVersion7(), SourceInstanceId = message.InstanceId, StudyInstanceUid = message.StudyInstanceUid, ProjectId = message.ProjectId,
            SourceSopInstanceUid = message.SopInstanceUid, DenoisedSopInstanceUid = denoisedUid,
            DenoisedSeriesInstanceUid = dataset.GetString(DicomTag.SeriesInstanceUID), SourceBlobKey = message.BlobKey, BlobKey = key,
            Method = PoissonDenoiser.Method, Parameters = parameters, Frames = result.Frames, Width = result.Width, Height = result.Height,
            Milliseconds = result.Milliseconds, CreatedAt = DateTime.UtcNow,
        });
        db.EnqueueEvent(new ImageDenoised(message.InstanceId, message.StudyInstanceUid, message.SopInstanceUid, message.BlobKey, key,
            $"{PoissonDenoiser.Method} {PoissonDenoiser.Version} ({parameters})", DateTimeOffset.UtcNow));
        await db.SaveChangesAsync(context.CancellationToken);
        outbox.Notify();
        logger.LogInformation("Denoised {Uid} -> {Denoised} ({Frames} frames of {Width}x{Height}) in {Milliseconds:F0} ms",
            message.SopInstanceUid, denoisedUid, result.Frames, result.Width, result.Height, result.Milliseconds);
    }

    /// <summary>The DICOM reader needs a seekable stream; S3 streams are not. The size was checked against the limit first.</summary>
    private async Task<Stream> OpenSeekableAsync(string key, CancellationToken cancellationToken)
    {
        await using var stream = await blobs.OpenReadAsync(key, cancellationToken: cancellationToken);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        buffer.Position = 0;
        return buffer;
    }
}
