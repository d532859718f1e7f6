using Halflife.Contracts;
using Halflife.Reporting.Data;
using Halflife.ServiceDefaults.Persistence.Outbox;
using MassTransit;

namespace Halflife.Reporting.Index;

/// <summary>Remembers restored objects (blob key, model name and version) for study reports and exports.</summary>
public sealed class ReportingImageRestoredConsumer(ReportingDbContext db) : IConsumer<ImageRestored>
{
    public async Task Consume(ConsumeContext<ImageRestored> context)
    {
        var m = context.Message;
        if (!await db.TryBeginProcessingAsync(context, nameof(ReportingImageRestoredConsumer))) return;
        db.DerivedImages.Add(new DerivedImage
        {
            Id = Guid.CreateVersion7(), Kind = DerivedKind.Restored, SourceInstanceId = m.InstanceId, StudyInstanceUid = m.StudyInstanceUid,
            SourceSopInstanceUid = m.SourceSopInstanceUid, DerivedSopInstanceUid = m.DerivedSopInstanceUid, BlobKey = m.DerivedBlobKey,
            ModelName = m.ModelName, ModelVersion = m.ModelVersion, CreatedAt = m.RestoredAt.UtcDateTime,
        });
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

/// <summary>Remembers denoised objects; the method stands where a model name would be.</summary>
public sealed class ReportingImageDenoisedConsumer(ReportingDbContext db) : IConsumer<ImageDenoised>
{
    public async Task Consume(ConsumeContext<ImageDenoised> context)
    {
        var m = context.Message;
        if (!await db.TryBeginProcessingAsync(context, nameof(ReportingImageDenoisedConsumer))) return;
        db.DerivedImages.Add(new DerivedImage
        {
            Id = Guid.CreateVersion7(), Kind = DerivedKind.Denoised, SourceInstanceId = m.InstanceId, StudyInstanceUid = m.StudyInstanceUid,
            SourceSopInstanceUid = m.SopInstanceUid, BlobKey = m.DenoisedBlobKey, ModelName = m.Method, CreatedAt = m.DenoisedAt.UtcDateTime,
        });
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
