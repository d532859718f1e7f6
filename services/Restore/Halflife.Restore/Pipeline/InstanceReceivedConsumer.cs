using System.Diagnostics;
using Halflife.Contracts;
using Halflife.Restore.Derived;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Halflife.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Halflife.Restore.Pipeline;

/// <summary>
/// Makes the derived object for a received NM instance. Walking-skeleton stage: the "restoration" is a pass-through
/// copy recorded as model "passthrough"; the deep-learning model replaces it without changing this flow.
/// </summary>
public sealed class InstanceReceivedConsumer(
    RestoreDbContext db,
    IBlobStore blobs,
    OutboxSignal<RestoreDbContext> outbox,
    IOptions<RestoreOptions> options,
    ILogger<InstanceReceivedConsumer> logger) : IConsumer<InstanceReceived>
{
    private static readonly ActivitySource Activities = new("Halflife.Restore");
    private const string ModelName = "passthrough";
    private const string ModelVersion = "0";

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

        using var activity = Activities.StartActivity("restore instance");
        activity?.SetTag("dicom.sop_instance_uid", message.SopInstanceUid);
        activity?.SetTag("model.name", ModelName);
        activity?.SetTag("model.version", ModelVersion);

        var derivedUid = DerivedUid.For(message.SopInstanceUid, ModelName, ModelVersion);
        var key = $"restore/derived/{derivedUid}.dcm";
        await using (var source = await blobs.OpenReadAsync(message.BlobKey, cancellationToken: context.CancellationToken))
            await blobs.PutAsync(key, source, "application/dicom", context.CancellationToken);

        var derived = new DerivedInstance
        {
            Id = Guid.CreateVersion7(), SourceInstanceId = message.InstanceId, StudyInstanceUid = message.StudyInstanceUid,
            SourceSopInstanceUid = message.SopInstanceUid, DerivedSopInstanceUid = derivedUid, SourceBlobKey = message.BlobKey,
            BlobKey = key, ModelName = ModelName, ModelVersion = ModelVersion, CreatedAt = DateTime.UtcNow,
        };
        db.DerivedInstances.Add(derived);
        db.EnqueueEvent(new ImageRestored(message.InstanceId, message.StudyInstanceUid, message.SopInstanceUid, derivedUid,
            message.BlobKey, key, ModelName, ModelVersion, DateTimeOffset.UtcNow));
        await db.SaveChangesAsync(context.CancellationToken);
        outbox.Notify();
        logger.LogInformation("Restored {Uid} -> {Derived} with {Model} {Version}", message.SopInstanceUid, derivedUid, ModelName, ModelVersion);
    }
}
