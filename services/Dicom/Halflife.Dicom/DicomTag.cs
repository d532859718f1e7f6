using System.Globalization;

namespace Halflife.Dicom;

/// <summary>A data element tag (group, element), ordered as the standard orders elements in a data set.</summary>
public sealed partial class DicomTag : IEquatable<DicomTag>, IComparable<DicomTag>, IComparable
{
    public DicomTag(ushort group, ushort element)
    {
        Group = group;
        Element = element;
    }

    public ushort Group { get; }
    public ushort Element { get; }

    /// <summary>Group and element as one number, the order used on the wire and in data sets.</summary>
    public uint Value => ((uint)Group << 16) | Element;

    /// <summary>Odd groups are private (PS3.5 7.8), except the reserved groups 0001, 0003, 0005, 0007 and FFFF.</summary>
    public bool IsPrivate => (Group & 1) == 1 && Group > 0x0007 && Group != 0xFFFF;

    /// <summary>(gggg,0010)-(gggg,00FF) in a private group reserve blocks for a private creator.</summary>
    public bool IsPrivateCreator => IsPrivate && Element is >= 0x0010 and <= 0x00FF;

    public DicomDictionaryEntry DictionaryEntry => DicomDictionary.Default[this];

    public static DicomTag FromValue(uint value) => new((ushort)(value >> 16), (ushort)value);

    /// <summary>Parses "(0010,0010)", "0010,0010", "00100010" or a keyword such as "PatientName".</summary>
    public static DicomTag Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim().TrimStart('(').TrimEnd(')').Replace(",", "", StringComparison.Ordinal);
        if (s.Length == 8 && uint.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v))
            return FromValue(v);
        return DicomDictionary.Default.TryGetTag(text.Trim(), out var tag)
            ? tag
            : throw new FormatException($"'{text}' is neither a DICOM tag nor a dictionary keyword.");
    }

    public bool Equals(DicomTag? other) => other is not null && other.Group == Group && other.Element == Element;
    public override bool Equals(object? obj) => obj is DicomTag t && Equals(t);
    public override int GetHashCode() => (int)Value;

    public int CompareTo(DicomTag? other) => other is null ? 1 : Value.CompareTo(other.Value);
    public int CompareTo(object? obj) => CompareTo(obj as DicomTag);

    public static bool operator ==(DicomTag? a, DicomTag? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(DicomTag? a, DicomTag? b) => !(a == b);
    public static bool operator <(DicomTag a, DicomTag b) => a.Value < b.Value;
    public static bool operator >(DicomTag a, DicomTag b) => a.Value > b.Value;
    public static bool operator <=(DicomTag a, DicomTag b) => a.Value <= b.Value;
    public static bool operator >=(DicomTag a, DicomTag b) => a.Value >= b.Value;

    public override string ToString() => $"({Group:X4},{Element:X4})";
}
