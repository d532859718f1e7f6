using Halflife.Dicom.Network;
using Halflife.Ingest.Storage;

namespace Halflife.Ingest.Scp;

/// <summary>
/// Answers C-STORE from scanners. Success is sent only after <see cref="InstanceStore"/> has stored the blob and
/// committed the catalogue row; every refusal carries a status and a reason the sender's log will show.
/// </summary>
public sealed class IngestStoreHandler(IServiceScopeFactory scopes, ILogger<IngestStoreHandler> logger) : IDicomStoreHandler
{
    public async ValueTask<DicomStatus> OnCStoreAsync(DicomReceivedStore request, CancellationToken cancellationToken)
    {
        var source = $"dicom:{request.Association.CallingAeTitle}";
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<InstanceStore>();
            var header = Part10Header.Build(request.SopClassUid, request.SopInstanceUid, request.TransferSyntaxUid, request.Association.CallingAeTitle);
            request.DataSet.Position = 0;
            await using var part10 = new ConcatenatedStream(header, request.DataSet);
            var expected = new ExpectedIdentity(request.SopClassUid, request.SopInstanceUid);
            await store.StoreAsync(part10, source, null, cancellationToken, expected);
            return DicomStatus.Success;
        }
        catch (InstanceMismatchException e)
        {
            logger.LogWarning("C-STORE from {Source} refused: {Reason}", source, e.Message);
            return DicomStatus.DataSetDoesNotMatchSopClass.WithComment(Trim(e.Message));
        }
        catch (InvalidInstanceException e)
        {
            logger.LogWarning("C-STORE of {Uid} from {Source} refused: {Reason}", request.SopInstanceUid, source, e.Message);
            return DicomStatus.CannotUnderstand.WithComment(Trim(e.Message));
        }
        catch (InstanceTooLargeException e)
        {
            logger.LogWarning("C-STORE of {Uid} from {Source} refused: {Reason}", request.SopInstanceUid, source, e.Message);
            return DicomStatus.OutOfResources.WithComment(Trim(e.Message));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Storage or database trouble: the scanner keeps the image and retries later; never claim success.
            logger.LogError(e, "C-STORE of {Uid} from {Source} could not be stored", request.SopInstanceUid, source);
            return DicomStatus.OutOfResources.WithComment(Trim("Cannot store now: " + e.Message));
        }
    }

    /// <summary>Error Comment (0000,0902) is LO: at most 64 characters.</summary>
    private static string Trim(string message) => message.Length <= 64 ? message : message[..64];
}
