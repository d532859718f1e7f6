using System.Net;

namespace Halflife.Dicom.Network;

/// <summary>What the SCP knows about the association a request arrived on.</summary>
public sealed record DicomAssociationInfo(
    string CallingAeTitle,
    string CalledAeTitle,
    IPEndPoint? RemoteEndPoint,
    string? RemoteImplementationClassUid,
    string? RemoteImplementationVersionName);

/// <summary>
/// One received C-STORE. <see cref="DataSet"/> holds the data set exactly as it crossed the wire, in
/// <see cref="TransferSyntaxUid"/> (the negotiated one): storing it behind a Part 10 header needs no re-encoding.
/// The stream belongs to the server and is only valid until the handler's task completes.
/// </summary>
public sealed record DicomReceivedStore(
    DicomAssociationInfo Association,
    ushort MessageId,
    string SopClassUid,
    string SopInstanceUid,
    string TransferSyntaxUid,
    Stream DataSet,
    long DataSetLength)
{
    /// <summary>Copies the data set into memory (convenient for small instances and tests).</summary>
    public async Task<byte[]> ReadAllBytesAsync(CancellationToken cancellationToken = default)
    {
        var bytes = new byte[DataSetLength];
        DataSet.Position = 0;
        await DataSet.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        return bytes;
    }
}

/// <summary>
/// The application side of the SCP: decides what a C-STORE means (store it, refuse it) and answers with a DIMSE status:
/// Success, Out of Resources (A700), Data Set does not match SOP Class (A900), Cannot Understand (C000), a warning, etc.
/// The C-STORE response is sent only after this returns, so Success must mean "durably stored".
/// </summary>
public interface IDicomStoreHandler
{
    ValueTask<DicomStatus> OnCStoreAsync(DicomReceivedStore request, CancellationToken cancellationToken);

    /// <summary>C-ECHO answers Success unless a handler wants to report itself unhealthy.</summary>
    ValueTask<DicomStatus> OnCEchoAsync(DicomAssociationInfo association, CancellationToken cancellationToken) =>
        ValueTask.FromResult(DicomStatus.Success);
}
