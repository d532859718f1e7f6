namespace Halflife.Dicom.Network.Tests;

public sealed class AssociationCodecTests
{
    [Fact]
    public void Request_round_trips_with_contexts_user_information_and_async_window()
    {
        var request = new AssociationRequest
        {
            CalledAeTitle = "STORE_SCP",
            CallingAeTitle = "MODALITY1",
            MaxPduLength = 16384,
            ImplementationClassUid = "1.2.3.4",
            ImplementationVersionName = "TEST_1",
            AsyncOperationsWindow = (5, 3),
        };
        request.PresentationContexts.Add(new PresentationContextProposal(1, NetworkUids.Verification, [NetworkUids.ImplicitVrLittleEndian]));
        request.PresentationContexts.Add(new PresentationContextProposal(3, "1.2.840.10008.5.1.4.1.1.2",
            [NetworkUids.ExplicitVrLittleEndian, NetworkUids.ImplicitVrLittleEndian]));

        var pdu = AssociationCodec.EncodeRequest(request);
        Assert.Equal((byte)PduType.AssociateRequest, pdu[0]);
        Assert.Equal(pdu.Length - 6, (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(pdu.AsSpan(2)));

        var decoded = AssociationCodec.DecodeRequest(pdu.AsSpan(6));
        Assert.Equal("STORE_SCP", decoded.CalledAeTitle);
        Assert.Equal("MODALITY1", decoded.CallingAeTitle);
        Assert.Equal(NetworkUids.ApplicationContext, decoded.ApplicationContextName);
        Assert.Equal(16384u, decoded.MaxPduLength);
        Assert.Equal("1.2.3.4", decoded.ImplementationClassUid);
        Assert.Equal("TEST_1", decoded.ImplementationVersionName);
        Assert.Equal(((ushort)5, (ushort)3), decoded.AsyncOperationsWindow);
        Assert.Equal(2, decoded.PresentationContexts.Count);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", decoded.PresentationContexts[1].AbstractSyntax);
        Assert.Equal([NetworkUids.ExplicitVrLittleEndian, NetworkUids.ImplicitVrLittleEndian], decoded.PresentationContexts[1].TransferSyntaxes);
    }

    [Fact]
    public void Accept_round_trips_and_rejected_contexts_carry_no_transfer_syntax()
    {
        var accept = new AssociationAccept { CalledAeTitle = "A", CallingAeTitle = "B", MaxPduLength = 0 };
        accept.PresentationContexts.Add(new PresentationContextAnswer(1, PresentationContextResult.Acceptance, NetworkUids.ExplicitVrLittleEndian));
        accept.PresentationContexts.Add(new PresentationContextAnswer(3, PresentationContextResult.AbstractSyntaxNotSupported, null));

        var decoded = AssociationCodec.DecodeAccept(AssociationCodec.EncodeAccept(accept).AsSpan(6));

        Assert.Equal(0u, decoded.MaxPduLength);
        Assert.Equal(NetworkUids.ExplicitVrLittleEndian, decoded.PresentationContexts[0].TransferSyntax);
        Assert.Equal(PresentationContextResult.AbstractSyntaxNotSupported, decoded.PresentationContexts[1].Result);
        Assert.Null(decoded.PresentationContexts[1].TransferSyntax);
    }

    [Fact]
    public void Reject_and_abort_encode_the_fields_of_PS3_8()
    {
        var rj = AssociationCodec.EncodeReject(AssociationRejection.LocalLimitExceeded);
        Assert.Equal(new byte[] { 3, 0, 0, 0, 0, 4, 0, 2, 3, 2 }, rj);
        Assert.Equal(AssociationRejection.LocalLimitExceeded, AssociationCodec.DecodeReject(rj.AsSpan(6)));

        var abort = AssociationCodec.EncodeAbort(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue);
        Assert.Equal(new byte[] { 7, 0, 0, 0, 0, 4, 0, 0, 2, 6 }, abort);
    }

    [Fact]
    public void Item_length_past_the_end_is_a_protocol_error_not_a_crash()
    {
        var request = new AssociationRequest { CalledAeTitle = "X", CallingAeTitle = "Y" };
        request.PresentationContexts.Add(new PresentationContextProposal(1, NetworkUids.Verification, [NetworkUids.ImplicitVrLittleEndian]));
        var pdu = AssociationCodec.EncodeRequest(request);
        // The application context item starts right after the 68 fixed bytes; give it a huge length.
        pdu[6 + 68 + 2] = 0xFF;
        pdu[6 + 68 + 3] = 0xFF;

        var error = Assert.Throws<DicomProtocolException>(() => AssociationCodec.DecodeRequest(pdu.AsSpan(6)));
        Assert.Equal(AbortReason.InvalidPduParameterValue, error.Reason);
    }

    [Fact]
    public void User_identity_is_recognised_and_not_kept()
    {
        var request = new AssociationRequest { CalledAeTitle = "X", CallingAeTitle = "Y" };
        request.PresentationContexts.Add(new PresentationContextProposal(1, NetworkUids.Verification, [NetworkUids.ImplicitVrLittleEndian]));
        var pdu = AssociationCodec.EncodeRequest(request).ToList();
        // Append a user identity sub-item (type 1 = username, positive response requested) to the user information item.
        byte[] identity = [0x58, 0, 0, 10, 1, 1, 0, 4, (byte)'u', (byte)'s', (byte)'e', (byte)'r', 0, 0];
        var userItem = pdu.LastIndexOf(0x50);
        var userLength = (pdu[userItem + 2] << 8) | pdu[userItem + 3];
        userLength += identity.Length;
        pdu[userItem + 2] = (byte)(userLength >> 8);
        pdu[userItem + 3] = (byte)userLength;
        pdu.AddRange(identity);
        var body = pdu.Skip(6).ToArray();

        var decoded = AssociationCodec.DecodeRequest(body);

        Assert.True(decoded.HasUserIdentity);
        Assert.True(decoded.UserIdentityPositiveResponseRequested);
    }

    [Fact]
    public void Negotiator_prefers_our_order_and_rejects_unknown_syntaxes()
    {
        var options = new DicomServerOptions { AeTitle = "SCP" };
        var request = new AssociationRequest { CalledAeTitle = "SCP", CallingAeTitle = "SCU", AsyncOperationsWindow = (0, 0) };
        request.PresentationContexts.Add(new PresentationContextProposal(1, "1.2.840.10008.5.1.4.1.1.7",
            [NetworkUids.ImplicitVrLittleEndian, NetworkUids.ExplicitVrLittleEndian, "1.2.840.10008.1.2.4.70"]));
        request.PresentationContexts.Add(new PresentationContextProposal(3, "1.2.840.10008.5.1.4.1.1.7", ["1.2.3.999"]));
        request.PresentationContexts.Add(new PresentationContextProposal(5, "1.2.840.10008.5.1.4.1.2.1.1", [NetworkUids.ImplicitVrLittleEndian]));

        Assert.Null(AssociationNegotiator.CheckAcceptable(request, options, overLimit: false));
        var accept = AssociationNegotiator.Accept(request, options);

        Assert.Equal("1.2.840.10008.1.2.4.70", accept.PresentationContexts[0].TransferSyntax);
        Assert.Equal(PresentationContextResult.TransferSyntaxesNotSupported, accept.PresentationContexts[1].Result);
        Assert.Equal(PresentationContextResult.AbstractSyntaxNotSupported, accept.PresentationContexts[2].Result);
        Assert.Equal(((ushort)1, (ushort)1), accept.AsyncOperationsWindow);

        options.TransferSyntaxPreference = TransferSyntaxPolicy.Native;
        Assert.Equal(NetworkUids.ExplicitVrLittleEndian, AssociationNegotiator.Accept(request, options).PresentationContexts[0].TransferSyntax);
    }

    [Fact]
    public void Negotiator_rejects_wrong_called_ae_unknown_caller_and_over_limit()
    {
        var options = new DicomServerOptions { AeTitle = "SCP", AllowedCallingAeTitles = ["GOOD"] };
        var request = new AssociationRequest { CalledAeTitle = "OTHER", CallingAeTitle = "GOOD" };
        Assert.Equal(AssociationRejection.CalledAeTitleNotRecognized, AssociationNegotiator.CheckAcceptable(request, options, false));
        request.CalledAeTitle = "SCP";
        request.CallingAeTitle = "BAD";
        Assert.Equal(AssociationRejection.CallingAeTitleNotRecognized, AssociationNegotiator.CheckAcceptable(request, options, false));
        request.CallingAeTitle = "GOOD";
        Assert.Equal(AssociationRejection.LocalLimitExceeded, AssociationNegotiator.CheckAcceptable(request, options, true));
        request.ApplicationContextName = "1.2.3";
        Assert.Equal(AssociationRejection.ApplicationContextNotSupported, AssociationNegotiator.CheckAcceptable(request, options, false));
    }
}
