using System.Buffers.Binary;

namespace Halflife.Dicom.Network.Tests;

public sealed class DimseCodecTests
{
    [Fact]
    public void Store_request_encodes_as_implicit_little_endian_with_group_length()
    {
        var command = DimseCommand.CreateStoreRequest(7, "1.2.840.10008.5.1.4.1.1.2", "1.2.3.4.5");
        var bytes = command.Encode();

        // (0000,0000) UL group length = everything after it.
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal(4u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal((uint)(bytes.Length - 12), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));

        var decoded = DimseCommand.Decode(bytes);
        Assert.Equal(DimseCommandField.CStoreRequest, decoded.CommandField);
        Assert.Equal(7, decoded.MessageId);
        Assert.True(decoded.HasDataSet);
        Assert.Equal("1.2.3.4.5", decoded.GetString(DimseCommand.AffectedSopInstanceUid));
        // Odd-length UIDs are NUL padded to even length.
        Assert.Equal(0, bytes.Length % 2);
    }

    [Fact]
    public void Response_carries_status_comment_and_message_id()
    {
        var request = DimseCommand.CreateStoreRequest(42, "1.2.840.10008.5.1.4.1.1.2", "1.2.3");
        var response = DimseCommand.Decode(DimseCommand.CreateResponse(request, DicomStatus.OutOfResources.WithComment("disk full")).Encode());

        Assert.Equal(DimseCommandField.CStoreResponse, response.CommandField);
        Assert.Equal(42, response.GetUInt16(DimseCommand.MessageIdBeingRespondedTo));
        Assert.Equal(0xA700, response.Status.Code);
        Assert.Equal("disk full", response.Status.ErrorComment);
        Assert.Equal(DicomStatusState.Failure, response.Status.State);
        Assert.False(response.HasDataSet);
    }

    [Theory]
    [InlineData(0x0000, DicomStatusState.Success)]
    [InlineData(0xB007, DicomStatusState.Warning)]
    [InlineData(0xA900, DicomStatusState.Failure)]
    [InlineData(0xC000, DicomStatusState.Failure)]
    [InlineData(0xFF00, DicomStatusState.Pending)]
    [InlineData(0xFE00, DicomStatusState.Cancel)]
    public void Status_classes_follow_PS3_7(ushort code, DicomStatusState state) => Assert.Equal(state, new DicomStatus(code).State);

    [Fact]
    public void Element_outside_group_0000_or_overlong_is_rejected()
    {
        var bytes = DimseCommand.CreateEchoRequest(1).Encode();
        var wrongGroup = (byte[])bytes.Clone();
        wrongGroup[0] = 0x08;
        Assert.Throws<DicomProtocolException>(() => DimseCommand.Decode(wrongGroup));

        var overlong = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(overlong.AsSpan(16), 0xFFFFFFF0);
        Assert.Throws<DicomProtocolException>(() => DimseCommand.Decode(overlong));
    }

    [Theory]
    [InlineData(4096u)]
    [InlineData(100u)]
    [InlineData(0u)]
    public async Task Writer_fragments_to_the_peer_limit_and_assembler_restores_the_message(uint peerMax)
    {
        var dataSet = new byte[50_000];
        new Random(1).NextBytes(dataSet);
        var wire = new MemoryStream();
        var command = DimseCommand.CreateStoreRequest(1, "1.2.840.10008.5.1.4.1.1.7", "1.2.3");
        await MessageWriter.WriteAsync(wire, 1, command, new MemoryStream(dataSet), peerMax, CancellationToken.None);

        wire.Position = 0;
        var reader = new PduReader(wire);
        using var assembler = new MessageAssembler(id => id == 1, 1024 * 1024, 1024 * 1024, null);
        var messages = new List<DimseMessage>();
        var pdus = 0;
        while (await reader.ReadAsync(_ => 2 * 1024 * 1024, CancellationToken.None) is { } pdu)
        {
            pdus++;
            Assert.Equal(PduType.PData, pdu.Type);
            if (peerMax != 0)
            {
                Assert.True(pdu.Body.Length <= peerMax, $"PDU of {pdu.Body.Length} bytes exceeds {peerMax}");
            }
            messages.AddRange(assembler.Feed(pdu.Body.Span));
        }

        var message = Assert.Single(messages);
        Assert.Equal("1.2.3", message.Command.GetString(DimseCommand.AffectedSopInstanceUid));
        var received = new byte[message.DataSet!.Length];
        message.DataSet.OpenRead().ReadExactly(received);
        Assert.Equal(dataSet, received);
        Assert.True(peerMax == 0 ? pdus == 2 : pdus > dataSet.Length / (int)peerMax);
    }

    [Fact]
    public void Assembler_rejects_data_before_command_and_unknown_context()
    {
        using var assembler = new MessageAssembler(id => id == 1, 1024, 1024, null);
        byte[] dataFirst = [0, 0, 0, 3, 1, 0x02, 0xAA];
        Assert.Throws<DicomProtocolException>(() => assembler.Feed(dataFirst));
        using var other = new MessageAssembler(id => id == 1, 1024, 1024, null);
        byte[] unknownContext = [0, 0, 0, 3, 9, 0x03, 0xAA];
        Assert.Throws<DicomProtocolException>(() => other.Feed(unknownContext));
    }

    [Fact]
    public async Task Reader_refuses_a_declared_length_over_the_cap_before_allocating()
    {
        byte[] bomb = [4, 0, 0xFF, 0xFF, 0xFF, 0xF0];
        var reader = new PduReader(new MemoryStream(bomb));
        var error = await Assert.ThrowsAsync<DicomProtocolException>(async () => await reader.ReadAsync(_ => 65536, CancellationToken.None));
        Assert.Equal(AbortReason.InvalidPduParameterValue, error.Reason);
    }

    [Fact]
    public void Data_set_buffer_spills_to_disk_and_caps_its_size()
    {
        using var buffer = new DataSetBuffer(memoryLimit: 10, maxLength: 100, spillDirectory: null);
        buffer.Append(new byte[8]);
        buffer.Append(Enumerable.Range(0, 40).Select(i => (byte)i).ToArray());
        Assert.IsType<FileStream>(buffer.OpenRead());
        Assert.False(buffer.Overflowed);
        buffer.Append(new byte[60]);
        Assert.True(buffer.Overflowed);
        Assert.Equal(108, buffer.Length);
    }
}
