using System.Buffers.Binary;
using System.Text;

namespace Halflife.Dicom.Network;

/// <summary>
/// Growable big-endian writer for PDUs and their items. Lengths of nested items are written after their content via
/// <see cref="BeginLength16"/>/<see cref="BeginLength32"/> markers, so callers never compute sizes by hand.
/// </summary>
internal sealed class PduBuilder
{
    private byte[] _buffer = new byte[512];
    public int Length { get; private set; }

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[Length++] = value;
    }

    public void WriteUInt16(ushort value)
    {
        Ensure(2);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(Length), value);
        Length += 2;
    }

    public void WriteUInt32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(Length), value);
        Length += 4;
    }

    public void WriteZeros(int count)
    {
        Ensure(count);
        _buffer.AsSpan(Length, count).Clear();
        Length += count;
    }

    public void WriteAscii(string value)
    {
        var count = Encoding.ASCII.GetByteCount(value);
        Ensure(count);
        Length += Encoding.ASCII.GetBytes(value, _buffer.AsSpan(Length));
    }

    /// <summary>AE titles are fixed 16-byte fields, space padded (PS3.8 9.3.2).</summary>
    public void WriteAeTitle(string aeTitle)
    {
        Ensure(16);
        var field = _buffer.AsSpan(Length, 16);
        field.Fill((byte)' ');
        Encoding.ASCII.GetBytes(aeTitle.AsSpan(0, Math.Min(16, aeTitle.Length)), field);
        Length += 16;
    }

    public int BeginLength16()
    {
        var at = Length;
        WriteUInt16(0);
        return at;
    }

    public int BeginLength32()
    {
        var at = Length;
        WriteUInt32(0);
        return at;
    }

    public void EndLength16(int marker) =>
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(marker), checked((ushort)(Length - marker - 2)));

    public void EndLength32(int marker) =>
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(marker), (uint)(Length - marker - 4));

    /// <summary>Writes a variable item: type, reserved byte, 16-bit length, ASCII value (UIDs, names).</summary>
    public void WriteStringItem(byte itemType, string value)
    {
        WriteByte(itemType);
        WriteByte(0);
        var marker = BeginLength16();
        WriteAscii(value);
        EndLength16(marker);
    }

    public byte[] ToArray() => _buffer.AsSpan(0, Length).ToArray();

    private void Ensure(int extra)
    {
        if (Length + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + extra));
        }
    }
}
