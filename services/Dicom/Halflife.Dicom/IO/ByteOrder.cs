using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Halflife.Dicom.IO;

internal static class ByteOrder
{
    /// <summary>Reverses each whole <paramref name="unit"/>-byte word in place (vectorised); a trailing partial word is left alone.</summary>
    public static void Swap(Span<byte> data, int unit)
    {
        var whole = data[..(data.Length - data.Length % Math.Max(unit, 1))];
        switch (unit)
        {
            case 2:
                var u16 = MemoryMarshal.Cast<byte, ushort>(whole);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                var u32 = MemoryMarshal.Cast<byte, uint>(whole);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            case 8:
                var u64 = MemoryMarshal.Cast<byte, ulong>(whole);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
        }
    }
}
