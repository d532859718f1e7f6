using System.Diagnostics;
using System.Security.Cryptography;
using Halflife.Contracts;
using Halflife.Ingest.Catalogue;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Halflife.ServiceDefaults.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Halflife.Ingest.Storage;

/// <summary>
/// Stores one DICOM instance durably, whatever door it came through (REST or C-STORE): the blob is written, then
/// the catalogue rows and the InstanceReceived event commit in one transaction. Only after that commit does the
/// caller answer success. The same SOP Instance UID twice changes nothing.
/// </summary>
public sealed class InstanceStore(
    IngestDbContext db,
    IBlobStore blobs,
    OutboxSignal<IngestDbContext> outbox,
    IOptions<IngestOptions> options,
    IOptions<HalflifeOptions> halflife,
    ILogger<InstanceStore> logger)
{
    public const string BlobPrefix = "ingest/instances";
    private static readonly ActivitySource Activities = new("Halflife.Ingest");

    public async Task<StoreResult> StoreAsync(Stream part10, string source, string? projectId, CancellationToken cancellationToken,
        ExpectedIdentity? expected = null)
    {
        using var activity = Activities.StartActivity("ingest store instance");
        var spool = await SpoolAsync(part10, cancellationToken);
        try
        {
            var header = DicomHeader.Read(spool.Path);
            expected?.Check(header);
            activity?.SetTag("dicom.sop_instance_uid", header.SopInstanceUid);
            activity?.SetTag("dicom.modality", header.Modality);

            var existing = await db.Instances.AsNoTracking()
                .Where(i => i.SopInstanceUid == header.SopInstanceUid)
                .Select(i => new { i.Id, i.Sha256, i.BlobKey, i.SizeBytes })
                .FirstOrDefaultAsync(cancellationToken);
            if (existing is not null)
            {
                if (existing.Sha256 != spool.Sha256)
                    logger.LogWarning("SOP Instance {Uid} received again with different content from {Source}; the first copy is kept",
                        header.SopInstanceUid, source);
                return Result(StoreOutcome.Duplicate, existing.Id, header, existing.BlobKey, existing.SizeBytes);
            }

            var key = BlobKey.ForHash(BlobPrefix, spool.Sha256, ".dcm");
            // Content-addressed: the same bytes are already stored when the key exists.
            if (!await blobs.ExistsAsync(key, cancellationToken))
                await blobs.PutFileAsync(key, spool.Path, "application/dicom", cancellationToken);

            var instanceId = await CommitAsync(header, key, spool, source, projectId, cancellationToken);
            outbox.Notify();
            logger.LogInformation("Stored {Modality} instance {Uid} ({Bytes} bytes) from {Source}", header.Modality, header.SopInstanceUid, spool.Length, source);
            return Result(StoreOutcome.Stored, instanceId, header, key, spool.Length);
        }
        finally
        {
            File.Delete(spool.Path); // no-op when the blob store took the file
        }
    }

    private async Task<Guid> CommitAsync(DicomHeader header, string key, Spool spool, string source, string? projectId, CancellationToken cancellationToken)
    {
        // Two instances of a new study can race to create its row; the unique index makes one lose, and the retry
        // then finds the row the other created.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryCommitAsync(header, key, spool, source, projectId, cancellationToken);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
                var duplicate = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.SopInstanceUid == header.SopInstanceUid, cancellationToken);
                if (duplicate is not null) return duplicate.Id;
            }
        }
    }

    private async Task<Guid> TryCommitAsync(DicomHeader header, string key, Spool spool, string source, string? projectId, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        var study = await db.Studies.FirstOrDefaultAsync(s => s.StudyInstanceUid == header.StudyInstanceUid, cancellationToken);
        if (study is null)
        {
            study = new Study
            {
                Id = Guid.CreateVersion7(), StudyInstanceUid = header.StudyInstanceUid, PatientId = header.PatientId,
                PatientName = header.PatientName, StudyDate = header.StudyDate, AccessionNumber = header.AccessionNumber,
                StudyDescription = header.StudyDescription, ProjectId = projectId, CreatedAt = now,
            };
            db.Studies.Add(study);
        }
        study.LastInstanceAt = now;
        study.CompletedAt = null;

        var series = await db.Series.FirstOrDefaultAsync(s => s.SeriesInstanceUid == header.SeriesInstanceUid, cancellationToken);
        if (series is null)
        {
            series = new Series
            {
                Id = Guid.CreateVersion7(), StudyId = study.Id, SeriesInstanceUid = header.SeriesInstanceUid,
                Modality = header.Modality, SeriesDescription = header.SeriesDescription, SeriesNumber = header.SeriesNumber,
            };
            db.Series.Add(series);
        }

        var instance = new Instance
        {
            Id = Guid.CreateVersion7(), SeriesId = series.Id, SopInstanceUid = header.SopInstanceUid, SopClassUid = header.SopClassUid,
            TransferSyntaxUid = header.TransferSyntaxUid, InstanceNumber = header.InstanceNumber, BlobKey = key,
            Sha256 = spool.Sha256, SizeBytes = spool.Length, Source = source, ReceivedAt = now,
        };
        db.Instances.Add(instance);
        db.EnqueueEvent(new InstanceReceived(instance.Id, header.StudyInstanceUid, header.SeriesInstanceUid, header.SopInstanceUid,
            header.SopClassUid, header.Modality, key, spool.Length, study.ProjectId, now, header.Context));
        await db.SaveChangesAsync(cancellationToken);
        return instance.Id;
    }

    private sealed record Spool(string Path, string Sha256, long Length);

    /// <summary>Copies the upload to a temporary file while hashing it, stopping at the size limit.</summary>
    private async Task<Spool> SpoolAsync(Stream source, CancellationToken cancellationToken)
    {
        var folder = halflife.Value.ResolveDataPath("tmp");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.part");
        var limit = options.Value.MaxInstanceBytes;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
                if (total > limit) throw new InstanceTooLargeException(limit);
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
            if (total == 0) throw new InvalidInstanceException("The request body is empty.");
            return new Spool(path, Convert.ToHexStringLower(hash.GetHashAndReset()), total);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    private static StoreResult Result(StoreOutcome outcome, Guid id, DicomHeader header, string key, long size) =>
        new(outcome, id, header.StudyInstanceUid, header.SeriesInstanceUid, header.SopInstanceUid, key, size);
}
