using System.Buffers.Binary;
using System.Text;

namespace Halflife.Dicom.Network;

/// <summary>
/// Bounds-checked big-endian cursor over a received PDU body. Every overrun becomes a <see cref="DicomProtocolException"/>,
/// which the association turns into an A-ABORT instead of an IndexOutOfRange crash.
/// </summary>
internal ref struct PduSpanReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    public int Position { get; private set; }
    public readonly int Remaining => _data.Length - Position;

    public byte ReadByte() => Take(1)[0];
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));
    public void Skip(int count) => Take(count);

    public ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new DicomProtocolException(AbortReason.InvalidPduParameterValue,
                $"Item needs {count} bytes at offset {Position}, only {Remaining} remain.");
        }
        var slice = _data.Slice(Position, count);
        Position += count;
        return slice;
    }

    /// <summary>AE titles and UIDs: ASCII with trailing (and for AE titles leading) spaces or NUL padding removed.</summary>
    public static string DecodeText(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            // Control characters other than NUL padding have no place in UIDs or AE titles; refusing them keeps
            // garbage out of logs and handler arguments.
            if (b != 0 && (b < 0x20 || b > 0x7E))
            {
                throw new DicomProtocolException(AbortReason.InvalidPduParameterValue, "Non-printable byte in a text field.");
            }
        }
        return Encoding.ASCII.GetString(bytes).Trim(' ', '\0');
    }
}
