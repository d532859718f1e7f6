using System.Buffers.Binary;
using System.Text;

namespace Halflife.Dicom.Network;

/// <summary>What the SCU needs from a Part 10 file to send it: the identity of the instance and where its data set starts.</summary>
public sealed record Part10FileInfo(string SopClassUid, string SopInstanceUid, string TransferSyntaxUid, long DataSetOffset);

/// <summary>
/// Reads a Part 10 file's preamble and File Meta Information group (always Explicit VR Little Endian, PS3.10 7.1)
/// just far enough to find the Media Storage SOP Class/Instance UIDs, the Transfer Syntax UID and the data set offset.
/// It deliberately knows nothing about the data set that follows; the full parser lives elsewhere in the library.
/// </summary>
public static class Part10MetaReader
{
    private const int PreambleLength = 128;

    /// <summary>No real meta group comes near this; the cap stops a corrupt group length from driving the read.</summary>
    private const int MaxMetaLength = 64 * 1024;

    public static Part10FileInfo Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        return Read(stream);
    }

    /// <summary>Reads from the start of <paramref name="stream"/>; offsets are relative to that start.</summary>
    public static Part10FileInfo Read(Stream stream)
    {
        var head = new byte[PreambleLength + 4 + MaxMetaLength];
        var got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var span = head.AsSpan(0, got);
        if (got < PreambleLength + 4 || !span.Slice(PreambleLength, 4).SequenceEqual("DICM"u8))
        {
            throw new InvalidDataException("Not a DICOM Part 10 file: no 'DICM' prefix after the 128-byte preamble.");
        }

        string? sopClass = null, sopInstance = null, transferSyntax = null;
        var at = PreambleLength + 4;
        while (at + 8 <= span.Length && BinaryPrimitives.ReadUInt16LittleEndian(span[at..]) == 0x0002)
        {
            var element = BinaryPrimitives.ReadUInt16LittleEndian(span[(at + 2)..]);
            var vr = Encoding.ASCII.GetString(span.Slice(at + 4, 2));
            int headerLength;
            uint length;
            if (HasLongLength(vr))
            {
                if (at + 12 > span.Length)
                {
                    break;
                }
                length = BinaryPrimitives.ReadUInt32LittleEndian(span[(at + 8)..]);
                headerLength = 12;
            }
            else
            {
                length = BinaryPrimitives.ReadUInt16LittleEndian(span[(at + 6)..]);
                headerLength = 8;
            }
            if (length > (uint)(span.Length - at - headerLength))
            {
                throw new InvalidDataException($"File meta element (0002,{element:X4}) runs past the meta information.");
            }
            var value = span.Slice(at + headerLength, (int)length);
            switch (element)
            {
                case 0x0002: sopClass = Text(value); break;
                case 0x0003: sopInstance = Text(value); break;
                case 0x0010: transferSyntax = Text(value); break;
            }
            at += headerLength + (int)length;
        }

        if (transferSyntax is null or "" || sopClass is null or "" || sopInstance is null or "")
        {
            throw new InvalidDataException("File meta information lacks the transfer syntax, SOP class or SOP instance UID.");
        }
        return new Part10FileInfo(sopClass, sopInstance, transferSyntax, at);
    }

    private static bool HasLongLength(string vr) =>
        vr is "OB" or "OD" or "OF" or "OL" or "OV" or "OW" or "SQ" or "SV" or "UC" or "UN" or "UR" or "UT" or "UV";

    private static string Text(ReadOnlySpan<byte> value) => Encoding.ASCII.GetString(value).TrimEnd('\0', ' ');
}
