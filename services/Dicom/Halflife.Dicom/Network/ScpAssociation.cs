using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Halflife.Dicom.Network;

/// <summary>
/// Serves one TCP connection as the association acceptor: ARTIM-bounded wait for the A-ASSOCIATE-RQ, negotiation,
/// then DIMSE messages one at a time until release, abort, idle timeout or server shutdown. Every protocol error ends
/// in an A-ABORT and a closed socket; nothing a peer sends can throw out of <see cref="RunAsync"/>.
/// </summary>
internal sealed class ScpAssociation(Socket socket, DicomServerOptions options, IDicomStoreHandler handler, bool overLimit)
{
    /// <summary>Bound for the association-phase PDUs: many presentation contexts and a user identity fit easily.</summary>
    private const int MaxAssociationPduLength = 1024 * 1024;

    private readonly NetworkStream _stream = new(socket, ownsSocket: true);
    private PduReader? _reader;
    private AssociationRequest? _request;
    private Dictionary<byte, PresentationContextAnswer> _accepted = [];
    private DicomAssociationInfo? _info;

    public async Task RunAsync(CancellationToken shutdown)
    {
        using var activity = DicomNetworkTelemetry.Source.StartActivity("dicom.association", ActivityKind.Server);
        try
        {
            if (await NegotiateAsync(shutdown).ConfigureAwait(false))
            {
                activity?.SetTag("dicom.calling_ae", _request!.CallingAeTitle);
                await ServeMessagesAsync(shutdown).ConfigureAwait(false);
            }
        }
        catch (DicomProtocolException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            await TrySendAsync(AssociationCodec.EncodeAbort(AbortSource.ServiceProvider, ex.Reason)).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            await TrySendAsync(AssociationCodec.EncodeAbort(AbortSource.ServiceProvider, AbortReason.NotSpecified)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            await TrySendAsync(AssociationCodec.EncodeAbort(AbortSource.ServiceProvider, AbortReason.NotSpecified)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or DicomNetworkException or ObjectDisposedException)
        {
            // The peer vanished or aborted; nothing left to tell it.
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
        }
        catch (Exception ex)
        {
            // A bug of ours must cost one association, never the server: abort it and record why.
            activity?.AddException(ex);
            await TrySendAsync(AssociationCodec.EncodeAbort(AbortSource.ServiceProvider, AbortReason.NotSpecified)).ConfigureAwait(false);
        }
        finally
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<bool> NegotiateAsync(CancellationToken shutdown)
    {
        _reader = new PduReader(_stream);
        var pdu = await ReadWithTimeoutAsync(_reader, options.ArtimTimeout, _ => MaxAssociationPduLength, shutdown, isArtim: true)
            .ConfigureAwait(false);
        if (pdu is null)
        {
            return false;
        }
        if (pdu.Value.Type != PduType.AssociateRequest)
        {
            throw new DicomProtocolException(AbortReason.UnexpectedPdu, $"Expected A-ASSOCIATE-RQ, got {pdu.Value.Type}.");
        }
        _request = AssociationCodec.DecodeRequest(pdu.Value.Body.Span);
        if (AssociationNegotiator.CheckAcceptable(_request, options, overLimit) is { } rejection)
        {
            Activity.Current?.SetTag("dicom.rejected", rejection.Description);
            DicomNetworkTelemetry.AssociationsRejected.Add(1, new KeyValuePair<string, object?>("reason", rejection.Description));
            await WriteWithTimeoutAsync(AssociationCodec.EncodeReject(rejection), shutdown).ConfigureAwait(false);
            return false;
        }
        var accept = AssociationNegotiator.Accept(_request, options);
        _accepted = accept.PresentationContexts
            .Where(pc => pc.Result == PresentationContextResult.Acceptance)
            .GroupBy(pc => pc.Id)
            .ToDictionary(g => g.Key, g => g.First());
        _info = new DicomAssociationInfo(_request.CallingAeTitle, _request.CalledAeTitle, socket.RemoteEndPoint as IPEndPoint,
            _request.ImplementationClassUid, _request.ImplementationVersionName);
        await WriteWithTimeoutAsync(AssociationCodec.EncodeAccept(accept), shutdown).ConfigureAwait(false);
        return true;
    }

    private async Task ServeMessagesAsync(CancellationToken shutdown)
    {
        using var assembler = new MessageAssembler(_accepted.ContainsKey, options.InMemoryDataSetLimit,
            options.MaxDataSetLength, options.SpillDirectory);
        while (true)
        {
            var pdu = await ReadWithTimeoutAsync(_reader!, options.IdleTimeout, MaxBodyLength, shutdown, isArtim: false)
                .ConfigureAwait(false);
            if (pdu is null)
            {
                return; // peer closed the connection; for a requestor that is an abort of its own
            }
            switch (pdu.Value.Type)
            {
                case PduType.PData:
                    foreach (var message in assembler.Feed(pdu.Value.Body.Span))
                    {
                        using (message)
                        {
                            await DispatchAsync(message, shutdown).ConfigureAwait(false);
                        }
                    }
                    break;
                case PduType.ReleaseRequest:
                    await WriteWithTimeoutAsync(AssociationCodec.EncodeReleaseResponse(), shutdown).ConfigureAwait(false);
                    return;
                case PduType.Abort:
                    return;
                default:
                    throw new DicomProtocolException(AbortReason.UnexpectedPdu, $"Unexpected {pdu.Value.Type} on an established association.");
            }
        }
    }

    private int MaxBodyLength(PduType type) => type switch
    {
        PduType.PData => (int)options.MaxPduLength,
        PduType.ReleaseRequest or PduType.Abort or PduType.ReleaseResponse or PduType.AssociateReject => 64,
        _ => MaxAssociationPduLength,
    };

    private async Task DispatchAsync(DimseMessage message, CancellationToken shutdown)
    {
        var command = message.Command;
        var context = _accepted[message.PresentationContextId];
        var status = command.CommandField switch
        {
            DimseCommandField.CEchoRequest => await SafeHandleAsync(() => handler.OnCEchoAsync(_info!, shutdown)).ConfigureAwait(false),
            DimseCommandField.CStoreRequest => await HandleStoreAsync(message, context, shutdown).ConfigureAwait(false),
            DimseCommandField.CCancelRequest => (DicomStatus?)null, // nothing in flight to cancel: we answer each request before reading on
            _ when ((ushort)command.CommandField & 0x8000) != 0 =>
                throw new DicomProtocolException(AbortReason.UnexpectedPduParameter, "Received a DIMSE response as acceptor."),
            _ => DicomStatus.UnrecognizedOperation.WithComment($"Command field {(ushort)command.CommandField:X4} is not supported"),
        };
        if (status is { } answer)
        {
            var response = DimseCommand.CreateResponse(command, answer);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
            deadline.CancelAfter(options.IdleTimeout);
            try
            {
                await MessageWriter.WriteAsync(_stream, message.PresentationContextId, response, null,
                    _request!.MaxPduLength, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!shutdown.IsCancellationRequested)
            {
                throw new TimeoutException("Peer did not take our response within the idle timeout.");
            }
        }
    }

    private async Task<DicomStatus?> HandleStoreAsync(DimseMessage message, PresentationContextAnswer context, CancellationToken shutdown)
    {
        var command = message.Command;
        var sopClass = command.GetString(DimseCommand.AffectedSopClassUid);
        var sopInstance = command.GetString(DimseCommand.AffectedSopInstanceUid);
        if (string.IsNullOrEmpty(sopClass) || string.IsNullOrEmpty(sopInstance) || !command.Contains(DimseCommand.MessageIdElement))
        {
            return DicomStatus.MissingAttribute.WithComment("C-STORE-RQ lacks SOP class, SOP instance or message ID");
        }
        if (sopClass != context.AbstractSyntax)
        {
            return DicomStatus.SopClassNotSupported.WithComment("SOP class differs from the presentation context's");
        }
        if (message.DataSet is not { } dataSet)
        {
            return DicomStatus.CannotUnderstand.WithComment("C-STORE-RQ without a data set");
        }
        if (dataSet.Overflowed)
        {
            return DicomStatus.OutOfResources.WithComment($"Data set larger than {options.MaxDataSetLength} bytes");
        }
        using var activity = DicomNetworkTelemetry.Source.StartActivity("dicom.c_store");
        activity?.SetTag("dicom.sop_instance_uid", sopInstance);
        var request = new DicomReceivedStore(_info!, command.MessageId, sopClass, sopInstance, context.TransferSyntax!,
            dataSet.OpenRead(), dataSet.Length);
        var status = await SafeHandleAsync(() => handler.OnCStoreAsync(request, shutdown)).ConfigureAwait(false);
        DicomNetworkTelemetry.StoresReceived.Add(1, new KeyValuePair<string, object?>("status", status.State.ToString()));
        return status;
    }

    /// <summary>A failing handler must not kill the association: its exception becomes a Processing Failure status.</summary>
    private static async Task<DicomStatus> SafeHandleAsync(Func<ValueTask<DicomStatus>> handle)
    {
        try
        {
            return await handle().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            Activity.Current?.AddException(ex);
            return DicomStatus.ProcessingFailure.WithComment(ex.GetType().Name);
        }
    }

    private static async Task<(PduType Type, ReadOnlyMemory<byte> Body)?> ReadWithTimeoutAsync(PduReader reader, TimeSpan timeout,
        Func<PduType, int> maxBodyLength, CancellationToken shutdown, bool isArtim)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        deadline.CancelAfter(timeout);
        try
        {
            return await reader.ReadAsync(maxBodyLength, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!shutdown.IsCancellationRequested)
        {
            throw new TimeoutException(isArtim
                ? $"No A-ASSOCIATE-RQ within the ARTIM timeout of {timeout.TotalSeconds:0.#} s."
                : $"Association idle for more than {timeout.TotalSeconds:0.#} s.");
        }
    }

    /// <summary>A peer that stops reading must not park us in a write forever (its TCP window fills, the write blocks).</summary>
    private async Task WriteWithTimeoutAsync(byte[] pdu, CancellationToken shutdown)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        deadline.CancelAfter(options.IdleTimeout);
        try
        {
            await _stream.WriteAsync(pdu, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!shutdown.IsCancellationRequested)
        {
            throw new TimeoutException("Peer did not take our PDU within the idle timeout.");
        }
    }

    private async Task TrySendAsync(byte[] pdu)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _stream.WriteAsync(pdu, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Best effort: the peer may already be gone.
        }
    }
}
