using System.Diagnostics;
using Halflife.Contracts;
using Halflife.Restore.Derived;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Halflife.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Halflife.Restore.Pipeline;

/// <summary>
/// Restores a received NM instance with the bone-scan model into a derived object in a new series of the same study,
/// stores it, records it and announces it (ImageRestored, through the outbox).
/// </summary>
public sealed class InstanceReceivedConsumer(
    RestoreDbContext db,
    IBlobStore blobs,
    InstanceRestorer restorer,
    OutboxSignal<RestoreDbContext> outbox,
    IOptions<RestoreOptions> options,
    ILogger<InstanceReceivedConsumer> logger) : IConsumer<InstanceReceived>
{
    private static readonly ActivitySource Activities = new("Halflife.Restore");

    public async Task Consume(ConsumeContext<InstanceReceived> context)
    {
        var message = context.Message;
        if (!options.Value.Modalities.Contains(message.Modality, StringComparer.OrdinalIgnoreCase))
            return;
        if (!await db.TryBeginProcessingAsync(context, nameof(InstanceReceivedConsumer)))
        {
            logger.LogInformation("Instance {Uid} was already restored; redelivery ignored", message.SopInstanceUid);
            return;
        }

        var model = restorer.Model;
        using var activity = Activities.StartActivity("restore instance");
        activity?.SetTag("dicom.sop_instance_uid", message.SopInstanceUid);
        activity?.SetTag("model.name", model.Name);
        activity?.SetTag("model.version", model.Version);

        Halflife.Dicom.DicomFile? derivedFile;
        await using (var source = await blobs.OpenReadAsync(message.BlobKey, cancellationToken: context.CancellationToken))
            derivedFile = await restorer.TryRestoreAsync(source, message.SopInstanceUid, context.CancellationToken);
        if (derivedFile is null)
        {
            // A permanent failure (already logged): remember the message as processed so it is not retried forever.
            activity?.SetStatus(ActivityStatusCode.Error, "cannot restore");
            await db.SaveChangesAsync(context.CancellationToken);
            return;
        }

        var derivedUid = derivedFile.Dataset.GetString(Halflife.Dicom.DicomTag.SOPInstanceUID);
        var key = $"restore/derived/{derivedUid}.dcm";
        using (var buffer = new MemoryStream())
        {
            derivedFile.Save(buffer);
            buffer.Position = 0;
            await blobs.PutAsync(key, buffer, "application/dicom", context.CancellationToken);
        }

        db.DerivedInstances.Add(new DerivedInstance
        {
            Id = Guid.CreateVersion7(), SourceInstanceId = message.InstanceId, StudyInstanceUid = message.StudyInstanceUid,
            SourceSopInstanceUid = message.SopInstanceUid, DerivedSopInstanceUid = derivedUid, SourceBlobKey = message.BlobKey,
            BlobKey = key, ModelName = model.Name, ModelVersion = model.Version, CreatedAt = DateTime.UtcNow,
        });
        db.EnqueueEvent(new ImageRestored(message.InstanceId, message.StudyInstanceUid, message.SopInstanceUid, derivedUid,
            message.BlobKey, key, model.Name, model.Version, DateTimeOffset.UtcNow));
        await db.SaveChangesAsync(context.CancellationToken);
        outbox.Notify();
        logger.LogInformation("Restored {Uid} -> {Derived} with {Model} {Version}", message.SopInstanceUid, derivedUid, model.Name, model.Version);
    }
}
