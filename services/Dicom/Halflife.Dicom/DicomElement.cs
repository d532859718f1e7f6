using System.Text;
using Halflife.Dicom.Text;

namespace Halflife.Dicom;

/// <summary>
/// A data element with a value. Parsed elements keep their value bytes as read (binary numbers normalised
/// to little endian), so writing them back is byte-exact; elements built from a .NET string keep the
/// string and encode it with the data set's character set when written, so setting (0008,0005) later works.
/// </summary>
public sealed class DicomElement : DicomItem
{
    private readonly DicomVR _vr;
    private readonly byte[]? _bytes;
    private readonly string? _text;

    public DicomElement(DicomTag tag, DicomVR vr, byte[] buffer) : base(tag)
    {
        ArgumentNullException.ThrowIfNull(vr);
        ArgumentNullException.ThrowIfNull(buffer);
        _vr = vr;
        _bytes = buffer;
    }

    public DicomElement(DicomTag tag, DicomVR vr, string text) : base(tag)
    {
        ArgumentNullException.ThrowIfNull(vr);
        ArgumentNullException.ThrowIfNull(text);
        if (!vr.IsString) throw new DicomDataException($"{tag}: a string value needs a string VR, not {vr}.");
        _vr = vr;
        _text = text;
    }

    public override DicomVR ValueRepresentation => _vr;

    /// <summary>The value bytes (binary numbers little endian; text in the default character set if built from a string).</summary>
    public ReadOnlyMemory<byte> Buffer => _bytes ?? GetBytes(DicomCharacterSet.Default);

    /// <summary>Value length in bytes as read, or as it would be encoded without padding.</summary>
    public int Length => _bytes?.Length ?? GetBytes(DicomCharacterSet.Default).Length;

    /// <summary>True when the value came from a string that is encoded at write time.</summary>
    internal bool IsTextBacked => _text is not null;

    internal byte[] GetBytes(DicomCharacterSet characterSet)
    {
        if (_bytes is not null) return _bytes;
        return _vr.IsEncodedString
            ? characterSet.Encode(_text!, _vr == DicomVR.PN)
            : Encoding.Latin1.GetBytes(_text!);
    }

    /// <summary>The whole value as text, padding not yet removed.</summary>
    internal string GetRawText(DicomCharacterSet characterSet)
    {
        if (_text is not null) return _text;
        return _vr.IsEncodedString
            ? characterSet.Decode(_bytes, _vr == DicomVR.PN)
            : Encoding.Latin1.GetString(_bytes!);
    }

    public override string ToString() => $"{base.ToString()} [{Length} bytes]";
}
