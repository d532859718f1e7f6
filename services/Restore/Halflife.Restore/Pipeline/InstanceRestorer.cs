using Halflife.Dicom;

namespace Halflife.Restore.Pipeline;

/// <summary>
/// Reads an original instance and returns its restored derived object, or null — with the reason logged — when it
/// can never be restored, so that the caller records nothing and does not retry.
/// </summary>
public sealed class InstanceRestorer(RestorationModel model, BoneScanRestorer restorer, ILogger<InstanceRestorer> logger)
{
    public ModelCard Model => model.Card;

    public async Task<DicomFile?> TryRestoreAsync(Stream original, string sopInstanceUid, CancellationToken cancellationToken)
    {
        try
        {
            var source = await DicomFile.OpenAsync(original, new DicomReadOptions { CancellationToken = cancellationToken });
            var restored = restorer.Restore(source.Dataset);
            return DerivedSeriesWriter.Write(source.Dataset, restored, model.Card);
        }
        catch (Exception e) when (e is RestoreNotPossibleException or DicomException)
        {
            logger.LogWarning("cannot restore {Uid}: {Reason}", sopInstanceUid, e.Message);
            return null;
        }
    }
}
