using Halflife.Dicom.Network;
using Halflife.ServiceDefaults.Storage;

namespace Halflife.Restore.Forwarding;

/// <summary>The outcome of one C-STORE attempt and whether trying again could change it.</summary>
public sealed record SendOutcome(bool Stored, bool Permanent, int? StatusCode, string? Error);

/// <summary>
/// Sends a stored derived instance with one association (Halflife.Dicom's SCU). The data set goes on the wire as
/// stored, after its Part 10 header, in its own transfer syntax: what the PACS receives is byte for byte what we keep.
/// </summary>
public sealed class PacsSender(IBlobStore blobs)
{
    public async Task<SendOutcome> SendAsync(ForwardingJob job, TimeSpan timeout, CancellationToken cancellationToken)
    {
        byte[] bytes;
        await using (var stream = await blobs.OpenReadAsync(job.BlobKey, cancellationToken: cancellationToken))
        using (var buffer = new MemoryStream())
        {
            await stream.CopyToAsync(buffer, cancellationToken);
            bytes = buffer.ToArray();
        }
        var meta = Part10MetaReader.Read(new MemoryStream(bytes, writable: false));
        var request = new DicomCStoreRequest(meta.SopClassUid, meta.SopInstanceUid, meta.TransferSyntaxUid,
            bytes.AsMemory((int)meta.DataSetOffset));
        var client = new DicomClient(job.Host, job.Port, job.CallingAeTitle, job.CalledAeTitle, new DicomClientOptions
        {
            ConnectTimeout = timeout, AssociationTimeout = timeout, DimseTimeout = timeout,
        }).AddRequest(request);
        try
        {
            var status = (await client.SendAsync(cancellationToken)).Single().Status;
            return status.State switch
            {
                DicomStatusState.Success or DicomStatusState.Warning => new SendOutcome(true, false, status.Code, null),
                // A7xx "Refused: out of resources" may pass; other failures (SOP class not supported, cannot
                // understand, data set does not match) will be answered the same way next time.
                _ => new SendOutcome(false, (status.Code & 0xFF00) != 0xA700, status.Code, $"C-STORE answered {status}"),
            };
        }
        catch (DicomAssociationRejectedException e)
        {
            return new SendOutcome(false, e.Rejection.Result == RejectResult.Permanent, null, e.Message);
        }
        catch (Exception e) when (e is DicomNetworkException or System.Net.Sockets.SocketException or IOException or TimeoutException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Down, unreachable, aborted or too slow: a PACS that is restarting comes back.
            return new SendOutcome(false, false, null, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
