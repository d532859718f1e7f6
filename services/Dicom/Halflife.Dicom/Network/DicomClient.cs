using System.Diagnostics;
using System.Net.Sockets;

namespace Halflife.Dicom.Network;

/// <summary>Settings of a <see cref="DicomClient"/>.</summary>
public sealed class DicomClientOptions
{
    /// <summary>Largest P-DATA-TF variable field we accept from the SCP.</summary>
    public uint MaxPduLength { get; set; } = 256 * 1024;
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for A-ASSOCIATE-AC/RJ and A-RELEASE-RP.</summary>
    public TimeSpan AssociationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for each DIMSE response (and for the SCP to take each of our PDUs).</summary>
    public TimeSpan DimseTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// A DICOM SCU in fo-dicom's shape: queue C-ECHO/C-STORE requests with <see cref="AddRequest"/>, then
/// <see cref="SendAsync"/> opens an association (more than one when over 128 presentation contexts are needed),
/// sends the requests one at a time, releases, and returns each request's status in order.
/// </summary>
public sealed class DicomClient(string host, int port, string callingAeTitle, string calledAeTitle, DicomClientOptions? options = null)
{
    /// <summary>PS3.8 9.3.2.2: presentation context IDs are odd numbers 1..255, so at most 128 per association.</summary>
    private const int MaxContextsPerAssociation = 128;

    private readonly DicomClientOptions _options = options ?? new DicomClientOptions();
    private readonly List<DicomRequest> _requests = [];

    public DicomClient AddRequest(DicomRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _requests.Add(request);
        return this;
    }

    /// <summary>
    /// Sends every queued request. A request whose presentation context the SCP rejected gets a local failure status
    /// (0122, SOP class not supported) without going on the wire. Rejection or abort of the association throws.
    /// </summary>
    public async Task<IReadOnlyList<DicomResponse>> SendAsync(CancellationToken cancellationToken = default)
    {
        var pending = _requests.ToList();
        _requests.Clear();
        var responses = new List<DicomResponse>(pending.Count);
        foreach (var batch in Batch(pending))
        {
            await SendBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            responses.AddRange(batch.Select(r => new DicomResponse(r, r.Status!.Value)));
        }
        return responses;
    }

    private static IEnumerable<List<DicomRequest>> Batch(List<DicomRequest> requests)
    {
        var batch = new List<DicomRequest>();
        var contexts = new HashSet<(string, string)>();
        foreach (var request in requests)
        {
            var key = (request.SopClassUid, request.TransferSyntaxUid);
            if (!contexts.Contains(key) && contexts.Count == MaxContextsPerAssociation)
            {
                yield return batch;
                batch = [];
                contexts.Clear();
            }
            contexts.Add(key);
            batch.Add(request);
        }
        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private async Task SendBatchAsync(List<DicomRequest> batch, CancellationToken cancellationToken)
    {
        using var activity = DicomNetworkTelemetry.Source.StartActivity("dicom.client.association", ActivityKind.Client);
        activity?.SetTag("dicom.called_ae", calledAeTitle);
        using var tcp = new TcpClient { NoDelay = true };
        using (var connect = Deadline(_options.ConnectTimeout, cancellationToken))
        {
            await tcp.ConnectAsync(host, port, connect.Token).ConfigureAwait(false);
        }
        await using var stream = tcp.GetStream();
        var reader = new PduReader(stream);

        var request = new AssociationRequest
        {
            CalledAeTitle = calledAeTitle,
            CallingAeTitle = callingAeTitle,
            MaxPduLength = _options.MaxPduLength,
            ImplementationClassUid = NetworkUids.ImplementationClassUid,
            ImplementationVersionName = NetworkUids.ImplementationVersionName,
            AsyncOperationsWindow = (1, 1),
        };
        var contextIds = new Dictionary<(string, string), byte>();
        foreach (var r in batch)
        {
            var key = (r.SopClassUid, r.TransferSyntaxUid);
            if (!contextIds.ContainsKey(key))
            {
                var id = (byte)(contextIds.Count * 2 + 1);
                contextIds[key] = id;
                request.PresentationContexts.Add(new PresentationContextProposal(id, r.SopClassUid, [r.TransferSyntaxUid]));
            }
        }

        var accept = await AssociateAsync(stream, reader, request, cancellationToken).ConfigureAwait(false);
        var accepted = accept.PresentationContexts
            .Where(pc => pc.Result == PresentationContextResult.Acceptance)
            .GroupBy(pc => pc.Id)
            .ToDictionary(g => g.Key, g => g.First());
        var rejected = accept.PresentationContexts.ToDictionary(pc => pc.Id, pc => pc.Result);

        try
        {
            using var assembler = new MessageAssembler(accepted.ContainsKey, 1024 * 1024, 16 * 1024 * 1024, null);
            ushort messageId = 0;
            foreach (var r in batch)
            {
                var contextId = contextIds[(r.SopClassUid, r.TransferSyntaxUid)];
                if (!accepted.ContainsKey(contextId))
                {
                    var why = rejected.TryGetValue(contextId, out var result) ? result.ToString() : "not answered";
                    r.Status = DicomStatus.SopClassNotSupported.WithComment($"Presentation context rejected: {why}");
                    continue;
                }
                messageId++;
                r.Status = await ExchangeAsync(stream, reader, assembler, contextId, r, messageId, accept.MaxPduLength, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        catch (DicomProtocolException ex)
        {
            await TrySendAsync(stream, AssociationCodec.EncodeAbort(AbortSource.ServiceProvider, ex.Reason)).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            await TrySendAsync(stream, AssociationCodec.EncodeAbort(AbortSource.ServiceUser, AbortReason.NotSpecified)).ConfigureAwait(false);
            throw;
        }
        await ReleaseAsync(stream, reader, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AssociationAccept> AssociateAsync(NetworkStream stream, PduReader reader, AssociationRequest request,
        CancellationToken cancellationToken)
    {
        using var deadline = Deadline(_options.AssociationTimeout, cancellationToken);
        await stream.WriteAsync(AssociationCodec.EncodeRequest(request), deadline.Token).ConfigureAwait(false);
        var pdu = await ReadAsync(reader, 1024 * 1024, deadline, cancellationToken).ConfigureAwait(false);
        switch (pdu.Type)
        {
            case PduType.AssociateAccept:
                var accept = AssociationCodec.DecodeAccept(pdu.Body.Span);
                return accept;
            case PduType.AssociateReject:
                throw new DicomAssociationRejectedException(AssociationCodec.DecodeReject(pdu.Body.Span));
            case PduType.Abort:
                var (source, reason) = AssociationCodec.DecodeAbort(pdu.Body.Span);
                throw new DicomAssociationAbortedException(source, reason, $"Association aborted during negotiation ({source}, {reason}).");
            default:
                await TrySendAsync(stream, AssociationCodec.EncodeAbort(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu)).ConfigureAwait(false);
                throw new DicomProtocolException(AbortReason.UnexpectedPdu, $"Expected A-ASSOCIATE-AC/RJ, got {pdu.Type}.");
        }
    }

    private async Task<DicomStatus> ExchangeAsync(NetworkStream stream, PduReader reader, MessageAssembler assembler, byte contextId,
        DicomRequest request, ushort messageId, uint peerMaxPdu, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(_options.DimseTimeout, cancellationToken);
        await using (var dataSet = request.OpenDataSet())
        {
            try
            {
                await MessageWriter.WriteAsync(stream, contextId, request.CreateCommand(messageId), dataSet, peerMaxPdu, deadline.Token)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The SCP did not take the request within {_options.DimseTimeout.TotalSeconds:0.#} s.");
            }
        }
        while (true)
        {
            var pdu = await ReadAsync(reader, (int)_options.MaxPduLength, deadline, cancellationToken).ConfigureAwait(false);
            switch (pdu.Type)
            {
                case PduType.PData:
                    foreach (var message in assembler.Feed(pdu.Body.Span))
                    {
                        using (message)
                        {
                            var response = message.Command;
                            if (response.Contains(DimseCommand.MessageIdBeingRespondedTo)
                                && response.GetUInt16(DimseCommand.MessageIdBeingRespondedTo) == messageId
                                && response.Contains(DimseCommand.StatusElement)
                                && response.Status.State != DicomStatusState.Pending)
                            {
                                return response.Status;
                            }
                        }
                    }
                    break;
                case PduType.Abort:
                    var (source, reason) = AssociationCodec.DecodeAbort(pdu.Body.Span);
                    throw new DicomAssociationAbortedException(source, reason, $"SCP aborted the association ({source}, {reason}).");
                default:
                    throw new DicomProtocolException(AbortReason.UnexpectedPdu, $"Unexpected {pdu.Type} while waiting for a DIMSE response.");
            }
        }
    }

    private async Task ReleaseAsync(NetworkStream stream, PduReader reader, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(_options.AssociationTimeout, cancellationToken);
        await stream.WriteAsync(AssociationCodec.EncodeReleaseRequest(), deadline.Token).ConfigureAwait(false);
        try
        {
            var pdu = await ReadAsync(reader, 1024, deadline, cancellationToken).ConfigureAwait(false);
            if (pdu.Type != PduType.ReleaseResponse)
            {
                await TrySendAsync(stream, AssociationCodec.EncodeAbort(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu)).ConfigureAwait(false);
            }
        }
        catch (DicomAssociationAbortedException)
        {
            // Closing without an A-RELEASE-RP after all responses arrived loses nothing; the work is done.
        }
    }

    private async Task<(PduType Type, ReadOnlyMemory<byte> Body)> ReadAsync(PduReader reader, int maxPData,
        CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        try
        {
            var pdu = await reader.ReadAsync(type => type == PduType.PData ? maxPData : 1024 * 1024, deadline.Token).ConfigureAwait(false);
            return pdu ?? throw new DicomAssociationAbortedException(null, null, "The SCP closed the connection.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("Timed out waiting for the SCP.");
        }
    }

    private static CancellationTokenSource Deadline(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        return deadline;
    }

    private static async Task TrySendAsync(NetworkStream stream, byte[] pdu)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await stream.WriteAsync(pdu, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Best effort.
        }
    }
}
