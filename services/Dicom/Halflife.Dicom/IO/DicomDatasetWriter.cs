using System.Buffers.Binary;
using Halflife.Dicom.Text;

namespace Halflife.Dicom.IO;

/// <summary>
/// Writes data elements in a transfer syntax. Sequences and items are written with undefined length
/// (valid in every transfer syntax, and no length pre-computation); values are padded to even length
/// with the VR's padding byte (PS3.5 7.1.1).
/// </summary>
internal sealed class DicomDatasetWriter
{
    private readonly Stream _out;
    private readonly bool _explicit;
    private readonly bool _bigEndian;
    private readonly byte[] _scratch = new byte[12];

    public DicomDatasetWriter(Stream output, bool explicitVR, bool bigEndian)
    {
        _out = output;
        _explicit = explicitVR;
        _bigEndian = bigEndian;
    }

    public DicomDatasetWriter(Stream output, DicomTransferSyntax syntax)
        : this(output, syntax.IsExplicitVR, syntax.Endian == Endian.Big) { }

    public void Write(DicomDataset dataset, DicomCharacterSet? inherited = null)
    {
        var charset = dataset.Contains(DicomTag.SpecificCharacterSet) ? dataset.CharacterSet : inherited ?? dataset.CharacterSet;
        foreach (var item in dataset)
        {
            switch (item)
            {
                case DicomElement e:
                    WriteElement(e, charset, DicomDatasetReader.HoldsByteSamples(dataset, e.Tag));
                    break;
                case DicomSequence s:
                    WriteHeader(s.Tag, DicomVR.SQ, 0xFFFFFFFF);
                    foreach (var child in s.Items)
                    {
                        WriteTagAndLength(0xFFFE, 0xE000, 0xFFFFFFFF);
                        Write(child, charset);
                        WriteTagAndLength(0xFFFE, 0xE00D, 0);
                    }
                    WriteTagAndLength(0xFFFE, 0xE0DD, 0);
                    break;
                case DicomFragmentSequence f:
                    WriteHeader(f.Tag, f.ValueRepresentation, 0xFFFFFFFF);
                    WriteTagAndLength(0xFFFE, 0xE000, (uint)f.BasicOffsetTable.Length);
                    _out.Write(f.BasicOffsetTable);
                    foreach (var fragment in f.Fragments)
                    {
                        WriteTagAndLength(0xFFFE, 0xE000, (uint)(fragment.Length + (fragment.Length & 1)));
                        _out.Write(fragment);
                        if ((fragment.Length & 1) == 1) _out.WriteByte(0);
                    }
                    WriteTagAndLength(0xFFFE, 0xE0DD, 0);
                    break;
            }
        }
    }

    /// <summary>The encoded size of an element, used for the file meta group length.</summary>
    public static long EncodedLength(DicomElement e, bool explicitVR, DicomCharacterSet charset)
    {
        var n = e.GetBytes(charset).Length;
        n += n & 1;
        return n + (explicitVR && !(e.ValueRepresentation.Is32BitLength || n > 0xFFFF) ? 8 : 12);
    }

    private void WriteElement(DicomElement e, DicomCharacterSet charset, bool byteSamples)
    {
        var value = e.GetBytes(charset);
        var padded = value.Length + (value.Length & 1);
        var vr = e.ValueRepresentation;
        // A 16-bit length cannot hold it (e.g. a long value read from implicit VR): UN is the standard's way out.
        if (_explicit && !vr.Is32BitLength && padded > 0xFFFF) vr = DicomVR.UN;
        WriteHeader(e.Tag, vr, (uint)padded);
        if (_bigEndian && !byteSamples && (e.ValueRepresentation.UnitSize > 1 || e.ValueRepresentation == DicomVR.AT) && !e.ValueRepresentation.IsString)
        {
            var swapped = (byte[])value.Clone();
            var unit = e.ValueRepresentation == DicomVR.AT ? 2 : e.ValueRepresentation.UnitSize;
            ByteOrder.Swap(swapped, unit);
            value = swapped;
        }
        _out.Write(value);
        if (padded != value.Length) _out.WriteByte(e.ValueRepresentation.PaddingValue);
    }

    private void WriteHeader(DicomTag tag, DicomVR vr, uint length)
    {
        var s = _scratch.AsSpan();
        WriteUInt16(s, tag.Group);
        WriteUInt16(s[2..], tag.Element);
        if (!_explicit)
        {
            WriteUInt32(s[4..], length);
            _out.Write(s[..8]);
            return;
        }
        s[4] = (byte)vr.Code[0];
        s[5] = (byte)vr.Code[1];
        if (vr.Is32BitLength)
        {
            s[6] = 0;
            s[7] = 0;
            WriteUInt32(s[8..], length);
            _out.Write(s[..12]);
        }
        else
        {
            WriteUInt16(s[6..], (ushort)length);
            _out.Write(s[..8]);
        }
    }

    private void WriteTagAndLength(ushort group, ushort element, uint length)
    {
        var s = _scratch.AsSpan();
        WriteUInt16(s, group);
        WriteUInt16(s[2..], element);
        WriteUInt32(s[4..], length);
        _out.Write(s[..8]);
    }

    private void WriteUInt16(Span<byte> s, ushort v)
    {
        if (_bigEndian) BinaryPrimitives.WriteUInt16BigEndian(s, v);
        else BinaryPrimitives.WriteUInt16LittleEndian(s, v);
    }

    private void WriteUInt32(Span<byte> s, uint v)
    {
        if (_bigEndian) BinaryPrimitives.WriteUInt32BigEndian(s, v);
        else BinaryPrimitives.WriteUInt32LittleEndian(s, v);
    }
}
