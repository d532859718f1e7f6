using System.Buffers.Binary;

namespace Halflife.Dicom.Network;

/// <summary>
/// Turns the PDVs of P-DATA-TF PDUs back into DIMSE messages (PS3.8 annex E): command fragments up to the one flagged
/// "last", then, if the command announces one, data set fragments up to their "last". Every deviation from that order,
/// an unknown presentation context or a switch of context mid-message is a protocol error.
/// </summary>
internal sealed class MessageAssembler(Func<byte, bool> isAcceptedContext, long memoryLimit, long maxDataSetLength, string? spillDirectory)
    : IDisposable
{
    private readonly MemoryStream _command = new();
    private DimseCommand? _pendingCommand;
    private DataSetBuffer? _dataSet;
    private byte _contextId;
    private bool _inMessage;

    /// <summary>Feeds one P-DATA-TF body; returns the messages it completed (usually zero or one).</summary>
    public List<DimseMessage> Feed(ReadOnlySpan<byte> pdataBody)
    {
        var completed = new List<DimseMessage>(1);
        if (pdataBody.Length == 0)
        {
            throw new DicomProtocolException(AbortReason.InvalidPduParameterValue, "P-DATA-TF without any PDV.");
        }
        var at = 0;
        while (at < pdataBody.Length)
        {
            if (pdataBody.Length - at < 6)
            {
                throw new DicomProtocolException(AbortReason.InvalidPduParameterValue, "Truncated PDV item header.");
            }
            var itemLength = BinaryPrimitives.ReadUInt32BigEndian(pdataBody[at..]);
            if (itemLength < 2 || itemLength > (uint)(pdataBody.Length - at - 4))
            {
                throw new DicomProtocolException(AbortReason.InvalidPduParameterValue, $"PDV item length {itemLength} does not fit the PDU.");
            }
            var contextId = pdataBody[at + 4];
            var header = pdataBody[at + 5];
            var fragment = pdataBody.Slice(at + 6, (int)itemLength - 2);
            at += 4 + (int)itemLength;

            if (AcceptFragment(contextId, header, fragment) is { } message)
            {
                completed.Add(message);
            }
        }
        return completed;
    }

    private DimseMessage? AcceptFragment(byte contextId, byte header, ReadOnlySpan<byte> fragment)
    {
        if ((header & 0xFC) != 0)
        {
            throw new DicomProtocolException(AbortReason.InvalidPduParameterValue, $"Reserved bits set in PDV header 0x{header:X2}.");
        }
        if (!isAcceptedContext(contextId))
        {
            throw new DicomProtocolException(AbortReason.InvalidPduParameterValue, $"PDV for presentation context {contextId}, which was not accepted.");
        }
        if (_inMessage && contextId != _contextId)
        {
            throw new DicomProtocolException(AbortReason.UnexpectedPduParameter, "Presentation context changed in the middle of a message.");
        }
        _inMessage = true;
        _contextId = contextId;
        var isCommand = (header & 0x01) != 0;
        var isLast = (header & 0x02) != 0;

        if (isCommand)
        {
            if (_pendingCommand is not null)
            {
                throw new DicomProtocolException(AbortReason.UnexpectedPduParameter, "Command fragment where data set fragments were expected.");
            }
            if (_command.Length + fragment.Length > DimseCommand.MaxEncodedLength)
            {
                throw new DicomProtocolException(AbortReason.InvalidPduParameterValue, "Command set exceeds 64 KiB.");
            }
            _command.Write(fragment);
            if (!isLast)
            {
                return null;
            }
            var command = DimseCommand.Decode(_command.GetBuffer().AsSpan(0, (int)_command.Length));
            _command.SetLength(0);
            if (!command.HasDataSet)
            {
                _inMessage = false;
                return new DimseMessage(contextId, command, null);
            }
            _pendingCommand = command;
            _dataSet = new DataSetBuffer(memoryLimit, maxDataSetLength, spillDirectory);
            return null;
        }

        if (_pendingCommand is null || _dataSet is null)
        {
            throw new DicomProtocolException(AbortReason.UnexpectedPduParameter, "Data set fragment before its command.");
        }
        _dataSet.Append(fragment);
        if (!isLast)
        {
            return null;
        }
        var message = new DimseMessage(contextId, _pendingCommand, _dataSet);
        _pendingCommand = null;
        _dataSet = null;
        _inMessage = false;
        return message;
    }

    public void Dispose()
    {
        _dataSet?.Dispose();
        _command.Dispose();
    }
}
