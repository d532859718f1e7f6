using System.Buffers.Binary;

namespace Halflife.Dicom.Network;

/// <summary>
/// Reads whole PDUs from a stream into one reusable buffer. The declared length is checked against a caller-given cap
/// before anything is allocated, so a peer cannot make us reserve memory it only claims to send.
/// </summary>
internal sealed class PduReader(Stream stream)
{
    public const int HeaderLength = 6;
    private readonly byte[] _header = new byte[HeaderLength];
    private byte[] _body = new byte[4096];

    /// <summary>
    /// Reads the next PDU. Returns null when the peer closed the connection cleanly before a new PDU began.
    /// The returned body is valid only until the next call.
    /// </summary>
    public async ValueTask<(PduType Type, ReadOnlyMemory<byte> Body)?> ReadAsync(
        Func<PduType, int> maxBodyLength, CancellationToken cancellationToken)
    {
        var got = await ReadAtLeastAsync(_header, cancellationToken).ConfigureAwait(false);
        if (got == 0)
        {
            return null;
        }
        if (got < HeaderLength)
        {
            throw new DicomAssociationAbortedException(null, null, "Connection closed inside a PDU header.");
        }

        var rawType = _header[0];
        if (rawType is < (byte)PduType.AssociateRequest or > (byte)PduType.Abort)
        {
            throw new DicomProtocolException(AbortReason.UnrecognizedPdu, $"Unrecognized PDU type 0x{rawType:X2}.");
        }
        var type = (PduType)rawType;
        var declared = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(2));
        var cap = maxBodyLength(type);
        if (declared > (uint)cap)
        {
            throw new DicomProtocolException(AbortReason.InvalidPduParameterValue,
                $"{type} PDU declares {declared} bytes; the limit is {cap}.");
        }

        var length = (int)declared;
        if (_body.Length < length)
        {
            _body = new byte[Math.Max(length, Math.Min(cap, _body.Length * 2))];
        }
        var body = _body.AsMemory(0, length);
        if (await ReadAtLeastAsync(body, cancellationToken).ConfigureAwait(false) < length)
        {
            throw new DicomAssociationAbortedException(null, null, $"Connection closed inside a {type} PDU.");
        }
        return (type, body);
    }

    private async ValueTask<int> ReadAtLeastAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer[total..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }
}
