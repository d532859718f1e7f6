using System.Buffers.Binary;
using System.Text;

namespace Halflife.Dicom.Network;

/// <summary>DIMSE command field values (PS3.7 E.1).</summary>
public enum DimseCommandField : ushort
{
    CStoreRequest = 0x0001,
    CStoreResponse = 0x8001,
    CGetRequest = 0x0010,
    CFindRequest = 0x0020,
    CMoveRequest = 0x0021,
    CEchoRequest = 0x0030,
    CEchoResponse = 0x8030,
    CCancelRequest = 0x0FFF,
}

/// <summary>
/// A DIMSE command set: group 0000 elements, always Implicit VR Little Endian (PS3.7 6.3.1). Values are kept as raw
/// bytes keyed by element number so unknown elements survive a decode/encode round trip untouched.
/// </summary>
public sealed class DimseCommand
{
    public const ushort AffectedSopClassUid = 0x0002;
    public const ushort RequestedSopClassUid = 0x0003;
    public const ushort CommandFieldElement = 0x0100;
    public const ushort MessageIdElement = 0x0110;
    public const ushort MessageIdBeingRespondedTo = 0x0120;
    public const ushort MoveDestination = 0x0600;
    public const ushort PriorityElement = 0x0700;
    public const ushort CommandDataSetType = 0x0800;
    public const ushort StatusElement = 0x0900;
    public const ushort ErrorCommentElement = 0x0902;
    public const ushort AffectedSopInstanceUid = 0x1000;
    public const ushort MoveOriginatorAeTitle = 0x1030;
    public const ushort MoveOriginatorMessageId = 0x1031;

    /// <summary>Command Data Set Type value meaning "no data set follows".</summary>
    public const ushort NoDataSet = 0x0101;

    /// <summary>Command sets are a few hundred bytes; anything much larger is an attack or garbage.</summary>
    public const int MaxEncodedLength = 64 * 1024;

    private readonly SortedDictionary<ushort, byte[]> _elements = [];

    public DimseCommandField CommandField
    {
        get => (DimseCommandField)GetUInt16(CommandFieldElement);
        set => SetUInt16(CommandFieldElement, (ushort)value);
    }

    public ushort MessageId => GetUInt16(MessageIdElement);
    public bool HasDataSet => Contains(CommandDataSetType) && GetUInt16(CommandDataSetType) != NoDataSet;

    public DicomStatus Status => new(GetUInt16(StatusElement),
        Contains(ErrorCommentElement) ? GetString(ErrorCommentElement) : null);

    public bool Contains(ushort element) => _elements.ContainsKey(element);

    public ushort GetUInt16(ushort element) =>
        _elements.TryGetValue(element, out var value) && value.Length >= 2
            ? BinaryPrimitives.ReadUInt16LittleEndian(value)
            : throw new DicomNetworkException($"Command element (0000,{element:X4}) is missing or not a US value.");

    public string? GetString(ushort element) =>
        _elements.TryGetValue(element, out var value) ? Encoding.ASCII.GetString(value).TrimEnd(' ', '\0') : null;

    public void SetUInt16(ushort element, ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        _elements[element] = bytes;
    }

    /// <summary>UIDs pad with NUL, other strings (AE, LO) with a space, to an even length (PS3.5 6.2).</summary>
    public void SetString(ushort element, string value, bool isUid)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        if (bytes.Length % 2 == 1)
        {
            Array.Resize(ref bytes, bytes.Length + 1);
            bytes[^1] = isUid ? (byte)0 : (byte)' ';
        }
        _elements[element] = bytes;
    }

    public static DimseCommand CreateEchoRequest(ushort messageId)
    {
        var command = new DimseCommand { CommandField = DimseCommandField.CEchoRequest };
        command.SetString(AffectedSopClassUid, NetworkUids.Verification, isUid: true);
        command.SetUInt16(MessageIdElement, messageId);
        command.SetUInt16(CommandDataSetType, NoDataSet);
        return command;
    }

    public static DimseCommand CreateStoreRequest(ushort messageId, string sopClassUid, string sopInstanceUid, ushort priority = 0)
    {
        var command = new DimseCommand { CommandField = DimseCommandField.CStoreRequest };
        command.SetString(AffectedSopClassUid, sopClassUid, isUid: true);
        command.SetUInt16(MessageIdElement, messageId);
        command.SetUInt16(PriorityElement, priority);
        command.SetUInt16(CommandDataSetType, 0x0000);
        command.SetString(AffectedSopInstanceUid, sopInstanceUid, isUid: true);
        return command;
    }

    /// <summary>Builds the response to <paramref name="request"/>: same SOP class/instance, response command field.</summary>
    public static DimseCommand CreateResponse(DimseCommand request, DicomStatus status)
    {
        var response = new DimseCommand { CommandField = (DimseCommandField)((ushort)request.CommandField | 0x8000) };
        if (request.GetString(AffectedSopClassUid) is { } sopClass)
        {
            response.SetString(AffectedSopClassUid, sopClass, isUid: true);
        }
        response.SetUInt16(MessageIdBeingRespondedTo, request.MessageId);
        response.SetUInt16(CommandDataSetType, NoDataSet);
        response.SetUInt16(StatusElement, status.Code);
        if (request.GetString(AffectedSopInstanceUid) is { } sopInstance)
        {
            response.SetString(AffectedSopInstanceUid, sopInstance, isUid: true);
        }
        if (status.ErrorComment is { Length: > 0 } comment && status.State != DicomStatusState.Success)
        {
            response.SetString(ErrorCommentElement, comment.Length > 64 ? comment[..64] : comment, isUid: false);
        }
        return response;
    }

    public byte[] Encode()
    {
        var body = 0;
        foreach (var (element, value) in _elements)
        {
            if (element != 0x0000)
            {
                body += 8 + value.Length;
            }
        }
        var bytes = new byte[12 + body];
        var span = bytes.AsSpan();
        WriteHeader(span, 0x0000, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)body);
        var at = 12;
        foreach (var (element, value) in _elements)
        {
            if (element == 0x0000)
            {
                continue;
            }
            WriteHeader(span[at..], element, value.Length);
            value.CopyTo(span[(at + 8)..]);
            at += 8 + value.Length;
        }
        return bytes;
    }

    public static DimseCommand Decode(ReadOnlySpan<byte> data)
    {
        var command = new DimseCommand();
        var at = 0;
        while (at < data.Length)
        {
            if (data.Length - at < 8)
            {
                throw new DicomProtocolException(AbortReason.InvalidPduParameterValue, "Truncated element in command set.");
            }
            var group = BinaryPrimitives.ReadUInt16LittleEndian(data[at..]);
            var element = BinaryPrimitives.ReadUInt16LittleEndian(data[(at + 2)..]);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(data[(at + 4)..]);
            if (group != 0x0000)
            {
                throw new DicomProtocolException(AbortReason.InvalidPduParameterValue,
                    $"Command set holds element ({group:X4},{element:X4}) outside group 0000.");
            }
            if (length > (uint)(data.Length - at - 8))
            {
                throw new DicomProtocolException(AbortReason.InvalidPduParameterValue,
                    $"Command element (0000,{element:X4}) declares {length} bytes beyond the command set.");
            }
            command._elements[element] = data.Slice(at + 8, (int)length).ToArray();
            at += 8 + (int)length;
        }
        if (!command.Contains(CommandFieldElement) || !command.Contains(CommandDataSetType))
        {
            throw new DicomProtocolException(AbortReason.InvalidPduParameterValue,
                "Command set lacks Command Field or Command Data Set Type.");
        }
        if (command._elements[CommandFieldElement].Length != 2 || command._elements[CommandDataSetType].Length != 2
            || (command.Contains(MessageIdElement) && command._elements[MessageIdElement].Length != 2))
        {
            throw new DicomProtocolException(AbortReason.InvalidPduParameterValue, "Command set holds a malformed US element.");
        }
        return command;
    }

    private static void WriteHeader(Span<byte> span, ushort element, int length)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span, 0x0000);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], element);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)length);
    }
}
