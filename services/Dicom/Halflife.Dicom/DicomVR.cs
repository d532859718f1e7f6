namespace Halflife.Dicom;

/// <summary>A value representation (PS3.5 6.2): how a value is encoded, padded and delimited.</summary>
public sealed class DicomVR : IEquatable<DicomVR>
{
    private static readonly Dictionary<string, DicomVR> ByCode = new(StringComparer.Ordinal);

    private DicomVR(string code, VRKind kind, int unitSize, bool longLength, byte padding, int maxLength)
    {
        Code = code;
        Kind = kind;
        UnitSize = unitSize;
        Is32BitLength = longLength;
        PaddingValue = padding;
        MaximumLength = maxLength;
        ByCode[code] = this;
    }

    public string Code { get; }
    internal VRKind Kind { get; }

    /// <summary>Bytes per value for binary VRs (the byte-swap unit in big endian); 1 for strings and OB/UN.</summary>
    public int UnitSize { get; }

    /// <summary>Explicit VR encodes these with 2 reserved bytes and a 32-bit length (PS3.5 7.1.2).</summary>
    public bool Is32BitLength { get; }
    public byte PaddingValue { get; }
    public int MaximumLength { get; }

    public bool IsString => Kind is VRKind.Text or VRKind.EncodedText or VRKind.SingleText or VRKind.EncodedSingleText;

    /// <summary>Values of these VRs depend on (0008,0005) Specific Character Set.</summary>
    public bool IsEncodedString => Kind is VRKind.EncodedText or VRKind.EncodedSingleText;

    /// <summary>Backslash separates multiple values, except in ST, LT, UT, UR (one value that may contain it).</summary>
    public bool IsMultiValueString => Kind is VRKind.Text or VRKind.EncodedText;

    public bool IsBinaryNumeric => Kind == VRKind.Binary;

    public static readonly DicomVR AE = new("AE", VRKind.Text, 1, false, (byte)' ', 16);
    public static readonly DicomVR AS = new("AS", VRKind.Text, 1, false, (byte)' ', 4);
    public static readonly DicomVR AT = new("AT", VRKind.Binary, 4, false, 0, 4);
    public static readonly DicomVR CS = new("CS", VRKind.Text, 1, false, (byte)' ', 16);
    public static readonly DicomVR DA = new("DA", VRKind.Text, 1, false, (byte)' ', 18);
    public static readonly DicomVR DS = new("DS", VRKind.Text, 1, false, (byte)' ', 16);
    public static readonly DicomVR DT = new("DT", VRKind.Text, 1, false, (byte)' ', 54);
    public static readonly DicomVR FD = new("FD", VRKind.Binary, 8, false, 0, 8);
    public static readonly DicomVR FL = new("FL", VRKind.Binary, 4, false, 0, 4);
    public static readonly DicomVR IS = new("IS", VRKind.Text, 1, false, (byte)' ', 12);
    public static readonly DicomVR LO = new("LO", VRKind.EncodedText, 1, false, (byte)' ', 64);
    public static readonly DicomVR LT = new("LT", VRKind.EncodedSingleText, 1, false, (byte)' ', 10240);
    public static readonly DicomVR OB = new("OB", VRKind.Bytes, 1, true, 0, int.MaxValue);
    public static readonly DicomVR OD = new("OD", VRKind.Bytes, 8, true, 0, int.MaxValue);
    public static readonly DicomVR OF = new("OF", VRKind.Bytes, 4, true, 0, int.MaxValue);
    public static readonly DicomVR OL = new("OL", VRKind.Bytes, 4, true, 0, int.MaxValue);
    public static readonly DicomVR OV = new("OV", VRKind.Bytes, 8, true, 0, int.MaxValue);
    public static readonly DicomVR OW = new("OW", VRKind.Bytes, 2, true, 0, int.MaxValue);
    public static readonly DicomVR PN = new("PN", VRKind.EncodedText, 1, false, (byte)' ', 64 * 5);
    public static readonly DicomVR SH = new("SH", VRKind.EncodedText, 1, false, (byte)' ', 16);
    public static readonly DicomVR SL = new("SL", VRKind.Binary, 4, false, 0, 4);
    public static readonly DicomVR SQ = new("SQ", VRKind.Sequence, 1, true, 0, int.MaxValue);
    public static readonly DicomVR SS = new("SS", VRKind.Binary, 2, false, 0, 2);
    public static readonly DicomVR ST = new("ST", VRKind.EncodedSingleText, 1, false, (byte)' ', 1024);
    public static readonly DicomVR SV = new("SV", VRKind.Binary, 8, true, 0, 8);
    public static readonly DicomVR TM = new("TM", VRKind.Text, 1, false, (byte)' ', 28);
    public static readonly DicomVR UC = new("UC", VRKind.EncodedText, 1, true, (byte)' ', int.MaxValue);
    public static readonly DicomVR UI = new("UI", VRKind.Text, 1, false, 0, 64);
    public static readonly DicomVR UL = new("UL", VRKind.Binary, 4, false, 0, 4);
    public static readonly DicomVR UN = new("UN", VRKind.Bytes, 1, true, 0, int.MaxValue);
    public static readonly DicomVR UR = new("UR", VRKind.SingleText, 1, true, (byte)' ', int.MaxValue);
    public static readonly DicomVR US = new("US", VRKind.Binary, 2, false, 0, 2);
    public static readonly DicomVR UT = new("UT", VRKind.EncodedSingleText, 1, true, (byte)' ', int.MaxValue);
    public static readonly DicomVR UV = new("UV", VRKind.Binary, 8, true, 0, 8);

    /// <summary>Items and delimiters carry no VR on the wire.</summary>
    public static readonly DicomVR NONE = new("NONE", VRKind.Bytes, 1, true, 0, 0);

    public static bool TryParse(string code, out DicomVR vr)
    {
        if (code is not null && ByCode.TryGetValue(code, out var found) && found != NONE)
        {
            vr = found;
            return true;
        }
        vr = UN;
        return false;
    }

    public static DicomVR Parse(string code) =>
        TryParse(code, out var vr) ? vr : throw new FormatException($"'{code}' is not a DICOM value representation.");

    /// <summary>Two wire bytes to a VR without allocating a string; false when the bytes name no VR.</summary>
    internal static bool TryParse(byte a, byte b, out DicomVR vr)
    {
        if (a is >= (byte)'A' and <= (byte)'Z' && b is >= (byte)'A' and <= (byte)'Z')
            return TryParse(string.Create(2, (a, b), (span, s) => { span[0] = (char)s.a; span[1] = (char)s.b; }), out vr);
        vr = UN;
        return false;
    }

    public bool Equals(DicomVR? other) => ReferenceEquals(this, other);
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);
    public override int GetHashCode() => Code.GetHashCode(StringComparison.Ordinal);
    public override string ToString() => Code;
}

internal enum VRKind
{
    /// <summary>Default character repertoire, backslash-separated values.</summary>
    Text,
    /// <summary>Specific Character Set applies, backslash-separated values.</summary>
    EncodedText,
    /// <summary>Default repertoire, a single value (UR).</summary>
    SingleText,
    /// <summary>Specific Character Set applies, a single value (ST, LT, UT).</summary>
    EncodedSingleText,
    /// <summary>Fixed-size binary numbers.</summary>
    Binary,
    /// <summary>Opaque byte/word streams (OB, OW, OF, OD, OL, OV, UN).</summary>
    Bytes,
    Sequence,
}
