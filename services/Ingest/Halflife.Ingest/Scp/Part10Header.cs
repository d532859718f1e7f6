using System.Buffers.Binary;
using System.Text;
using Halflife.Dicom;

namespace Halflife.Ingest.Scp;

/// <summary>
/// The 128-byte preamble, "DICM" and File Meta Information (PS3.10 7.1) for a data set received over the network.
/// Put in front of the data set bytes exactly as they crossed the wire, it makes a Part 10 file without re-encoding
/// anything (a deflated data set stays deflated, as PS3.10 requires).
/// </summary>
public static class Part10Header
{
    public static byte[] Build(string sopClassUid, string sopInstanceUid, string transferSyntaxUid, string? sourceAeTitle)
    {
        using var elements = new MemoryStream();
        WriteOb(elements, 0x0001, [0x00, 0x01]);
        WriteText(elements, 0x0002, "UI", sopClassUid);
        WriteText(elements, 0x0003, "UI", sopInstanceUid);
        WriteText(elements, 0x0010, "UI", transferSyntaxUid);
        WriteText(elements, 0x0012, "UI", DicomFileMetaInformation.HalflifeImplementationClassUID.UID);
        WriteText(elements, 0x0013, "SH", DicomFileMetaInformation.HalflifeImplementationVersionName);
        if (!string.IsNullOrWhiteSpace(sourceAeTitle)) WriteText(elements, 0x0016, "AE", sourceAeTitle.Trim());

        using var file = new MemoryStream();
        file.Write(new byte[128]);
        file.Write("DICM"u8);
        // (0002,0000) UL group length: the byte count of the elements that follow it.
        Span<byte> groupLength = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(groupLength, 0x0002);
        BinaryPrimitives.WriteUInt16LittleEndian(groupLength[2..], 0x0000);
        "UL"u8.CopyTo(groupLength[4..]);
        BinaryPrimitives.WriteUInt16LittleEndian(groupLength[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(groupLength[8..], (uint)elements.Length);
        file.Write(groupLength);
        elements.Position = 0;
        elements.CopyTo(file);
        return file.ToArray();
    }

    private static void WriteOb(Stream output, ushort element, byte[] value)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(header, 0x0002);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], element);
        "OB"u8.CopyTo(header[4..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)value.Length); // bytes 6..7 stay reserved (0)
        output.Write(header);
        output.Write(value);
    }

    private static void WriteText(Stream output, ushort element, string vr, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        var padded = bytes.Length % 2 == 0 ? bytes : [.. bytes, vr == "UI" ? (byte)0 : (byte)' '];
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, 0x0002);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], element);
        Encoding.ASCII.GetBytes(vr, header[4..]);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)padded.Length);
        output.Write(header);
        output.Write(padded);
    }
}
