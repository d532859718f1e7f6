using System.Diagnostics;
using Halflife.Contracts;
using Halflife.Models;
using Halflife.Models.Loading;
using Halflife.Restore.Derived;
using Halflife.Restore.Forwarding;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Halflife.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Halflife.Restore.Pipeline;

/// <summary>
/// Restores a received NM instance with the active version of the model <see cref="RestoreModelSelector"/> chooses
/// for it (2 h -> 4 h for an early bone scan, count restoration otherwise) into a derived object in a new
/// series of the same study, stores it, records it (with the model's name and version) and announces it
/// (ImageRestored, through the outbox); with forwarding on, the job to send it to PACS commits in the same transaction.
/// </summary>
public sealed class InstanceReceivedConsumer(
    RestoreDbContext db,
    IBlobStore blobs,
    ActiveModels models,
    InstanceRestorer restorer,
    OutboxSignal<RestoreDbContext> outbox,
    ForwardingSignal forwarding,
    IOptions<RestoreOptions> options,
    ILogger<InstanceReceivedConsumer> logger) : IConsumer<InstanceReceived>
{
    private static readonly ActivitySource Activities = new("Halflife.Restore");

    public async Task Consume(ConsumeContext<InstanceReceived> context)
    {
        var message = context.Message;
        var settings = options.Value;
        if (!settings.Modalities.Contains(message.Modality, StringComparer.OrdinalIgnoreCase))
            return;
        if (!await db.TryBeginProcessingAsync(context, nameof(InstanceReceivedConsumer)))
        {
            logger.LogInformation("Instance {Uid} was already restored; redelivery ignored", message.SopInstanceUid);
            return;
        }

        using var activity = Activities.StartActivity("restore instance");
        activity?.SetTag("dicom.sop_instance_uid", message.SopInstanceUid);
        // No active model is not the message's fault: the exception lets the bus retry and finally park it in the
        // error queue, from where it can be replayed once a version is activated.
        var choice = RestoreModelSelector.Choose(settings, message.Context);
        activity?.SetTag("restore.mode", choice.Mode);
        activity?.SetTag("restore.mode_reason", choice.Reason);
        using var model = await models.AcquireAsync(choice.ModelName, context.CancellationToken);
        activity?.SetTag("model.name", model.Name);
        activity?.SetTag("model.version", model.Version);

        Halflife.Dicom.DicomFile? derivedFile;
        await using (var source = await blobs.OpenReadAsync(message.BlobKey, cancellationToken: context.CancellationToken))
            derivedFile = await restorer.TryRestoreAsync(source, message.SopInstanceUid, model, context.CancellationToken);
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

        var now = DateTime.UtcNow;
        var derived = new DerivedInstance
        {
            Id = Guid.CreateVersion7(), SourceInstanceId = message.InstanceId, StudyInstanceUid = message.StudyInstanceUid, ProjectId = message.ProjectId,
            SourceSopInstanceUid = message.SopInstanceUid, DerivedSopInstanceUid = derivedUid, SourceBlobKey = message.BlobKey,
            BlobKey = key, ModelName = model.Name, ModelVersion = model.Version, CreatedAt = now,
        };
        db.DerivedInstances.Add(derived);
        db.EnqueueEvent(new ImageRestored(message.InstanceId, message.StudyInstanceUid, message.SopInstanceUid, derivedUid,
            message.BlobKey, key, model.Name, model.Version, DateTimeOffset.UtcNow));
        if (settings.Forwarding.Enabled)
            db.ForwardingJobs.Add(ForwardingJobs.For(derived, settings.Forwarding, now));
        await db.SaveChangesAsync(context.CancellationToken);
        outbox.Notify();
        if (settings.Forwarding.Enabled) forwarding.Notify();
        logger.LogInformation("Restored {Uid} -> {Derived} with {Model} {Version} ({Mode}: {Reason})", message.SopInstanceUid, derivedUid,
            model.Name, model.Version, choice.Mode, choice.Reason);
    }
}
