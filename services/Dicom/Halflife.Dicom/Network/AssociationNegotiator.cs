namespace Halflife.Dicom.Network;

/// <summary>
/// The SCP's decision on an A-ASSOCIATE-RQ (PS3.8 7.1, PS3.7 D.3): reject the whole association, or accept it and
/// answer each presentation context.
/// </summary>
internal static class AssociationNegotiator
{
    public static AssociationRejection? CheckAcceptable(AssociationRequest request, DicomServerOptions options, bool overLimit)
    {
        // Bit 0 of the protocol version is version 1, the only one defined; other bits are for future versions.
        if ((request.ProtocolVersion & 0x0001) == 0)
        {
            return AssociationRejection.ProtocolVersionNotSupported;
        }
        if (request.ApplicationContextName != NetworkUids.ApplicationContext)
        {
            return AssociationRejection.ApplicationContextNotSupported;
        }
        if (options.ValidateCalledAeTitle && request.CalledAeTitle != options.AeTitle)
        {
            return AssociationRejection.CalledAeTitleNotRecognized;
        }
        if (options.AllowedCallingAeTitles is { Count: > 0 } allowed && !allowed.Contains(request.CallingAeTitle))
        {
            return AssociationRejection.CallingAeTitleNotRecognized;
        }
        return overLimit ? AssociationRejection.LocalLimitExceeded : null;
    }

    public static AssociationAccept Accept(AssociationRequest request, DicomServerOptions options)
    {
        var accept = new AssociationAccept
        {
            // PS3.8 9.3.3: the AE title fields of the AC echo the request's values.
            CalledAeTitle = request.CalledAeTitle,
            CallingAeTitle = request.CallingAeTitle,
            MaxPduLength = options.MaxPduLength,
            ImplementationClassUid = NetworkUids.ImplementationClassUid,
            ImplementationVersionName = NetworkUids.ImplementationVersionName,
            // We perform one operation at a time; answering 1/1 (rather than omitting the item) tells a requestor
            // that proposed a larger window explicitly what it gets.
            AsyncOperationsWindow = request.AsyncOperationsWindow is null ? null : ((ushort)1, (ushort)1),
        };
        var seen = new HashSet<byte>();
        foreach (var pc in request.PresentationContexts)
        {
            if (pc.Id % 2 == 0 || !seen.Add(pc.Id))
            {
                // PS3.8 9.3.2.2: IDs are odd and unique. A bad one cannot be answered meaningfully, so refuse it alone.
                accept.PresentationContexts.Add(new PresentationContextAnswer(pc.Id, PresentationContextResult.NoReason, null, pc.AbstractSyntax));
                continue;
            }
            if (!options.AcceptAbstractSyntax(pc.AbstractSyntax))
            {
                accept.PresentationContexts.Add(new PresentationContextAnswer(pc.Id, PresentationContextResult.AbstractSyntaxNotSupported, null, pc.AbstractSyntax));
                continue;
            }
            var chosen = TransferSyntaxPolicy.Select(pc.TransferSyntaxes, options.TransferSyntaxPreference);
            accept.PresentationContexts.Add(chosen is null
                ? new PresentationContextAnswer(pc.Id, PresentationContextResult.TransferSyntaxesNotSupported, null, pc.AbstractSyntax)
                : new PresentationContextAnswer(pc.Id, PresentationContextResult.Acceptance, chosen, pc.AbstractSyntax));
        }
        return accept;
    }
}
