namespace Halflife.Dicom.Network;

/// <summary>
/// Encodes and decodes the association-phase PDUs (A-ASSOCIATE-RQ/AC/RJ, A-RELEASE-RQ/RP, A-ABORT) as laid out in
/// PS3.8 section 9.3. Encoders return whole PDUs (header included); decoders take the body after the 6-byte header.
/// </summary>
internal static class AssociationCodec
{
    private const byte ApplicationContextItem = 0x10;
    private const byte PresentationContextRqItem = 0x20;
    private const byte PresentationContextAcItem = 0x21;
    private const byte AbstractSyntaxItem = 0x30;
    private const byte TransferSyntaxItem = 0x40;
    private const byte UserInformationItem = 0x50;
    private const byte MaxLengthSubItem = 0x51;
    private const byte ImplementationClassSubItem = 0x52;
    private const byte AsyncWindowSubItem = 0x53;
    private const byte ImplementationVersionSubItem = 0x55;
    private const byte UserIdentitySubItem = 0x58;

    public static byte[] EncodeRequest(AssociationRequest request)
    {
        var pdu = BeginAssociationPdu(PduType.AssociateRequest, request, out var lengthMarker);
        foreach (var pc in request.PresentationContexts)
        {
            pdu.WriteByte(PresentationContextRqItem);
            pdu.WriteByte(0);
            var pcLength = pdu.BeginLength16();
            pdu.WriteByte(pc.Id);
            pdu.WriteZeros(3);
            pdu.WriteStringItem(AbstractSyntaxItem, pc.AbstractSyntax);
            foreach (var ts in pc.TransferSyntaxes)
            {
                pdu.WriteStringItem(TransferSyntaxItem, ts);
            }
            pdu.EndLength16(pcLength);
        }
        WriteUserInformation(pdu, request);
        pdu.EndLength32(lengthMarker);
        return pdu.ToArray();
    }

    public static byte[] EncodeAccept(AssociationAccept accept)
    {
        var pdu = BeginAssociationPdu(PduType.AssociateAccept, accept, out var lengthMarker);
        foreach (var pc in accept.PresentationContexts)
        {
            pdu.WriteByte(PresentationContextAcItem);
            pdu.WriteByte(0);
            var pcLength = pdu.BeginLength16();
            pdu.WriteByte(pc.Id);
            pdu.WriteByte(0);
            pdu.WriteByte((byte)pc.Result);
            pdu.WriteByte(0);
            // PS3.8 9.3.3.2: the transfer syntax sub-item is always present; its value is not significant when rejected.
            pdu.WriteStringItem(TransferSyntaxItem,
                pc.Result == PresentationContextResult.Acceptance ? pc.TransferSyntax ?? "" : "");
            pdu.EndLength16(pcLength);
        }
        WriteUserInformation(pdu, accept);
        pdu.EndLength32(lengthMarker);
        return pdu.ToArray();
    }

    public static byte[] EncodeReject(AssociationRejection rejection) =>
        [(byte)PduType.AssociateReject, 0, 0, 0, 0, 4, 0, (byte)rejection.Result, (byte)rejection.Source, rejection.Reason];

    public static byte[] EncodeAbort(AbortSource source, AbortReason reason) =>
        [(byte)PduType.Abort, 0, 0, 0, 0, 4, 0, 0, (byte)source, (byte)reason];

    public static byte[] EncodeReleaseRequest() => [(byte)PduType.ReleaseRequest, 0, 0, 0, 0, 4, 0, 0, 0, 0];

    public static byte[] EncodeReleaseResponse() => [(byte)PduType.ReleaseResponse, 0, 0, 0, 0, 4, 0, 0, 0, 0];

    public static AssociationRequest DecodeRequest(ReadOnlySpan<byte> body)
    {
        var request = new AssociationRequest();
        var reader = ReadFixedFields(body, request);
        while (reader.Remaining > 0)
        {
            var itemType = reader.ReadByte();
            reader.Skip(1);
            var item = reader.Take(reader.ReadUInt16());
            switch (itemType)
            {
                case ApplicationContextItem:
                    request.ApplicationContextName = PduSpanReader.DecodeText(item);
                    break;
                case PresentationContextRqItem:
                    request.PresentationContexts.Add(DecodeProposal(item));
                    break;
                case UserInformationItem:
                    DecodeUserInformation(item, request);
                    break;
                default:
                    throw new DicomProtocolException(AbortReason.UnrecognizedPduParameter,
                        $"Unknown item 0x{itemType:X2} in A-ASSOCIATE-RQ.");
            }
        }
        return request;
    }

    public static AssociationAccept DecodeAccept(ReadOnlySpan<byte> body)
    {
        var accept = new AssociationAccept();
        var reader = ReadFixedFields(body, accept);
        while (reader.Remaining > 0)
        {
            var itemType = reader.ReadByte();
            reader.Skip(1);
            var item = reader.Take(reader.ReadUInt16());
            switch (itemType)
            {
                case ApplicationContextItem:
                    accept.ApplicationContextName = PduSpanReader.DecodeText(item);
                    break;
                case PresentationContextAcItem:
                    accept.PresentationContexts.Add(DecodeAnswer(item));
                    break;
                case UserInformationItem:
                    DecodeUserInformation(item, accept);
                    break;
                default:
                    throw new DicomProtocolException(AbortReason.UnrecognizedPduParameter,
                        $"Unknown item 0x{itemType:X2} in A-ASSOCIATE-AC.");
            }
        }
        return accept;
    }

    public static AssociationRejection DecodeReject(ReadOnlySpan<byte> body)
    {
        var reader = new PduSpanReader(body);
        reader.Skip(1);
        var result = reader.ReadByte();
        var source = reader.ReadByte();
        var reason = reader.ReadByte();
        return new AssociationRejection((RejectResult)result, (RejectSource)source, reason);
    }

    public static (AbortSource Source, AbortReason Reason) DecodeAbort(ReadOnlySpan<byte> body)
    {
        var reader = new PduSpanReader(body);
        reader.Skip(2);
        return ((AbortSource)reader.ReadByte(), (AbortReason)reader.ReadByte());
    }

    private static PduBuilder BeginAssociationPdu(PduType type, AssociationPduBase fields, out int lengthMarker)
    {
        var pdu = new PduBuilder();
        pdu.WriteByte((byte)type);
        pdu.WriteByte(0);
        lengthMarker = pdu.BeginLength32();
        pdu.WriteUInt16(fields.ProtocolVersion);
        pdu.WriteZeros(2);
        pdu.WriteAeTitle(fields.CalledAeTitle);
        pdu.WriteAeTitle(fields.CallingAeTitle);
        pdu.WriteZeros(32);
        pdu.WriteStringItem(ApplicationContextItem, fields.ApplicationContextName);
        return pdu;
    }

    private static void WriteUserInformation(PduBuilder pdu, AssociationPduBase fields)
    {
        pdu.WriteByte(UserInformationItem);
        pdu.WriteByte(0);
        var userLength = pdu.BeginLength16();

        pdu.WriteByte(MaxLengthSubItem);
        pdu.WriteByte(0);
        pdu.WriteUInt16(4);
        pdu.WriteUInt32(fields.MaxPduLength);

        pdu.WriteStringItem(ImplementationClassSubItem, fields.ImplementationClassUid ?? NetworkUids.ImplementationClassUid);

        if (fields.AsyncOperationsWindow is { } window)
        {
            pdu.WriteByte(AsyncWindowSubItem);
            pdu.WriteByte(0);
            pdu.WriteUInt16(4);
            pdu.WriteUInt16(window.Invoked);
            pdu.WriteUInt16(window.Performed);
        }

        if (fields.ImplementationVersionName is { Length: > 0 } version)
        {
            pdu.WriteStringItem(ImplementationVersionSubItem, version);
        }
        pdu.EndLength16(userLength);
    }

    private static PduSpanReader ReadFixedFields(ReadOnlySpan<byte> body, AssociationPduBase fields)
    {
        var reader = new PduSpanReader(body);
        fields.ProtocolVersion = reader.ReadUInt16();
        reader.Skip(2);
        fields.CalledAeTitle = PduSpanReader.DecodeText(reader.Take(16));
        fields.CallingAeTitle = PduSpanReader.DecodeText(reader.Take(16));
        reader.Skip(32);
        return reader;
    }

    private static PresentationContextProposal DecodeProposal(ReadOnlySpan<byte> item)
    {
        var reader = new PduSpanReader(item);
        var id = reader.ReadByte();
        reader.Skip(3);
        string? abstractSyntax = null;
        var transferSyntaxes = new List<string>();
        while (reader.Remaining > 0)
        {
            var subType = reader.ReadByte();
            reader.Skip(1);
            var value = reader.Take(reader.ReadUInt16());
            switch (subType)
            {
                case AbstractSyntaxItem when abstractSyntax is null:
                    abstractSyntax = PduSpanReader.DecodeText(value);
                    break;
                case TransferSyntaxItem:
                    transferSyntaxes.Add(PduSpanReader.DecodeText(value));
                    break;
                default:
                    throw new DicomProtocolException(AbortReason.UnexpectedPduParameter,
                        $"Unexpected sub-item 0x{subType:X2} in presentation context {id}.");
            }
        }
        if (abstractSyntax is null || transferSyntaxes.Count == 0)
        {
            throw new DicomProtocolException(AbortReason.InvalidPduParameterValue,
                $"Presentation context {id} lacks an abstract syntax or transfer syntax.");
        }
        return new PresentationContextProposal(id, abstractSyntax, transferSyntaxes);
    }

    private static PresentationContextAnswer DecodeAnswer(ReadOnlySpan<byte> item)
    {
        var reader = new PduSpanReader(item);
        var id = reader.ReadByte();
        reader.Skip(1);
        var result = (PresentationContextResult)reader.ReadByte();
        reader.Skip(1);
        string? transferSyntax = null;
        while (reader.Remaining > 0)
        {
            var subType = reader.ReadByte();
            reader.Skip(1);
            var value = reader.Take(reader.ReadUInt16());
            if (subType == TransferSyntaxItem)
            {
                transferSyntax = PduSpanReader.DecodeText(value);
            }
        }
        return new PresentationContextAnswer(id, result, result == PresentationContextResult.Acceptance ? transferSyntax : null);
    }

    private static void DecodeUserInformation(ReadOnlySpan<byte> item, AssociationPduBase fields)
    {
        var reader = new PduSpanReader(item);
        while (reader.Remaining > 0)
        {
            var subType = reader.ReadByte();
            reader.Skip(1);
            var value = new PduSpanReader(reader.Take(reader.ReadUInt16()));
            switch (subType)
            {
                case MaxLengthSubItem:
                    fields.MaxPduLength = value.ReadUInt32();
                    break;
                case ImplementationClassSubItem:
                    fields.ImplementationClassUid = PduSpanReader.DecodeText(value.Take(value.Remaining));
                    break;
                case ImplementationVersionSubItem:
                    fields.ImplementationVersionName = PduSpanReader.DecodeText(value.Take(value.Remaining));
                    break;
                case AsyncWindowSubItem:
                    fields.AsyncOperationsWindow = (value.ReadUInt16(), value.ReadUInt16());
                    break;
                case UserIdentitySubItem when fields is AssociationRequest request:
                    // Parsed only far enough to know it is there; credentials are not kept (nothing authenticates by them).
                    request.HasUserIdentity = true;
                    value.Skip(1);
                    request.UserIdentityPositiveResponseRequested = value.ReadByte() == 1;
                    break;
                default:
                    // Role selection (54H), extended/common extended negotiation (56H/57H), user identity response
                    // (59H) and future items: not negotiated by us. Omitting them in our answer means "not supported".
                    break;
            }
        }
    }
}
