using Halflife.Dicom;
using Halflife.Models.Loading;

namespace Halflife.Restore.Pipeline;

/// <summary>
/// Reads an original instance and returns its restored derived object made with the leased model, or null — with
/// the reason logged — when it can never be restored, so that the caller records nothing and does not retry.
/// </summary>
public sealed class InstanceRestorer(ILogger<InstanceRestorer> logger)
{
    public async Task<DicomFile?> TryRestoreAsync(Stream original, string sopInstanceUid, ModelLease model, CancellationToken cancellationToken)
    {
        try
        {
            var source = await DicomFile.OpenAsync(original, new DicomReadOptions { CancellationToken = cancellationToken });
            var restored = BoneScanRestorer.Restore(source.Dataset, model);
            return DerivedSeriesWriter.Write(source.Dataset, restored, model.Name, model.Version);
        }
        catch (Exception e) when (e is RestoreNotPossibleException or DicomException)
        {
            logger.LogWarning("cannot restore {Uid}: {Reason}", sopInstanceUid, e.Message);
            return null;
        }
    }
}
