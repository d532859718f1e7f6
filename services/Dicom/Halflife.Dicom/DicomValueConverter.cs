using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Halflife.Dicom.Text;

namespace Halflife.Dicom;

/// <summary>Turns element bytes into typed values and back, following each VR's encoding rules (PS3.5 6.2).</summary>
internal static class DicomValueConverter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The text of a string element with trailing padding (spaces, NULs) removed.</summary>
    public static string GetText(DicomElement e, DicomCharacterSet cs) => e.GetRawText(cs).TrimEnd(' ', '\0');

    public static string[] GetStrings(DicomElement e, DicomCharacterSet cs)
    {
        var vr = e.ValueRepresentation;
        var raw = e.GetRawText(cs);
        if (raw.Length == 0) return [];
        var parts = vr.IsMultiValueString ? raw.Split('\\') : [raw];
        for (var i = 0; i < parts.Length; i++) parts[i] = TrimValue(vr, parts[i]);
        if (parts.Length == 1 && parts[0].Length == 0 && vr.IsMultiValueString) return [];
        return parts;
    }

    // PS3.5 6.2: leading spaces are insignificant for most string VRs, but not for the free-text ones.
    private static string TrimValue(DicomVR vr, string value) =>
        vr == DicomVR.ST || vr == DicomVR.LT || vr == DicomVR.UT || vr == DicomVR.PN || vr == DicomVR.UC || vr == DicomVR.UR
            ? value.TrimEnd(' ', '\0')
            : value.Trim(' ', '\0');

    /// <summary>(0008,0005) itself is in the default repertoire; its values select the sets for the rest.</summary>
    public static string[] GetRawTextValues(DicomElement e) =>
        e.GetRawText(DicomCharacterSet.Default).Split('\\').Select(v => v.Trim(' ', '\0')).ToArray();

    public static int CountValues(DicomElement e, DicomCharacterSet cs)
    {
        var vr = e.ValueRepresentation;
        if (vr.IsString) return GetStrings(e, cs).Length;
        return vr.UnitSize == 0 ? 0 : e.Length / vr.UnitSize;
    }

    /// <summary>Binary values as their natural .NET type (US -> ushort, FD -> double, AT -> DicomTag, OB -> byte, ...).</summary>
    public static object[] GetBinaryValues(DicomElement e)
    {
        var vr = e.ValueRepresentation;
        var b = e.Buffer.Span;
        var n = b.Length / vr.UnitSize;
        var values = new object[n];
        for (var i = 0; i < n; i++)
        {
            var s = b.Slice(i * vr.UnitSize, vr.UnitSize);
            values[i] = vr.Code switch
            {
                "US" or "OW" => BinaryPrimitives.ReadUInt16LittleEndian(s),
                "SS" => BinaryPrimitives.ReadInt16LittleEndian(s),
                "UL" or "OL" => BinaryPrimitives.ReadUInt32LittleEndian(s),
                "SL" => BinaryPrimitives.ReadInt32LittleEndian(s),
                "FL" or "OF" => BinaryPrimitives.ReadSingleLittleEndian(s),
                "FD" or "OD" => BinaryPrimitives.ReadDoubleLittleEndian(s),
                "UV" or "OV" => BinaryPrimitives.ReadUInt64LittleEndian(s),
                "SV" => BinaryPrimitives.ReadInt64LittleEndian(s),
                "AT" => (object)new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(s), BinaryPrimitives.ReadUInt16LittleEndian(s[2..])),
                _ => s[0],
            };
        }
        return values;
    }

    public static T[] GetValues<T>(DicomElement e, DicomCharacterSet cs)
    {
        var vr = e.ValueRepresentation;
        if (typeof(T) == typeof(byte) && !vr.IsString) return (T[])(object)e.Buffer.ToArray();
        if (vr.IsString)
        {
            var strings = GetStrings(e, cs);
            if (typeof(T) == typeof(string)) return (T[])(object)strings;
            return strings.Select(s => ConvertString<T>(s, e.Tag)).ToArray();
        }
        return GetBinaryValues(e).Select(v => ConvertBinary<T>(v, e.Tag)).ToArray();
    }

    private static T ConvertString<T>(string s, DicomTag tag)
    {
        try
        {
            var t = typeof(T);
            if (t == typeof(DicomUID)) return (T)(object)DicomUID.Parse(s);
            if (t == typeof(DicomTransferSyntax)) return (T)(object)DicomTransferSyntax.Parse(s);
            if (t == typeof(DicomTag)) return (T)(object)DicomTag.Parse(s);
            if (t == typeof(DateTime)) return (T)(object)ParseDateTime(s);
            if (t == typeof(double)) return (T)(object)double.Parse(s, NumberStyles.Float, Inv);
            if (t == typeof(float)) return (T)(object)float.Parse(s, NumberStyles.Float, Inv);
            if (t == typeof(decimal)) return (T)(object)decimal.Parse(s, NumberStyles.Float, Inv);
            if (t.IsPrimitive) return (T)Convert.ChangeType(decimal.Parse(s, NumberStyles.Float, Inv), t, Inv);
            return (T)Convert.ChangeType(s, t, Inv);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or InvalidCastException)
        {
            throw new DicomDataException($"{tag}: cannot convert '{s}' to {typeof(T).Name}.", ex);
        }
    }

    private static T ConvertBinary<T>(object v, DicomTag tag)
    {
        if (v is T same) return same;
        try
        {
            if (typeof(T) == typeof(string)) return (T)(object)(v is IFormattable f ? f.ToString(null, Inv) : v.ToString()!);
            if (v is DicomTag at && typeof(T) == typeof(uint)) return (T)(object)at.Value;
            return (T)Convert.ChangeType(v, typeof(T), Inv);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or InvalidCastException)
        {
            throw new DicomDataException($"{tag}: cannot convert {v} to {typeof(T).Name}.", ex);
        }
    }

    private static DateTime ParseDateTime(string s)
    {
        string[] formats = ["yyyyMMdd", "yyyy.MM.dd", "HHmmss", "HHmmss.FFFFFF", "HHmm", "HH", "yyyyMMddHHmmss", "yyyyMMddHHmmss.FFFFFF", "yyyyMMddHHmm"];
        return DateTime.ParseExact(s, formats, Inv, DateTimeStyles.None);
    }

    /// <summary>Builds an element from .NET values, picking the encoding from the VR.</summary>
    public static DicomElement CreateElement<T>(DicomTag tag, DicomVR vr, T[] values)
    {
        if (vr == DicomVR.SQ) throw new DicomDataException($"{tag}: use DicomSequence for SQ elements.");
        if (vr.IsString)
        {
            var text = string.Join('\\', values.Select(v => FormatString(vr, v)));
            return new DicomElement(tag, vr, text);
        }
        if (values is byte[] bytes) return new DicomElement(tag, vr, (byte[])bytes.Clone());
        var unit = vr.UnitSize;
        var buffer = new byte[values.Length * unit];
        for (var i = 0; i < values.Length; i++)
            WriteBinary(buffer.AsSpan(i * unit, unit), vr, values[i], tag);
        return new DicomElement(tag, vr, buffer);
    }

    private static string FormatString<T>(DicomVR vr, T value) => value switch
    {
        null => "",
        string s => s,
        DicomUID u => u.UID,
        DicomTransferSyntax ts => ts.UID.UID,
        DateTime d when vr == DicomVR.DA => d.ToString("yyyyMMdd", Inv),
        DateTime d when vr == DicomVR.TM => d.ToString("HHmmss.FFFFFF", Inv).TrimEnd('.'),
        DateTime d => d.ToString("yyyyMMddHHmmss.FFFFFF", Inv).TrimEnd('.'),
        double d when vr == DicomVR.DS => FormatDecimalString(d),
        float f when vr == DicomVR.DS => FormatDecimalString(f),
        IFormattable f => f.ToString(null, Inv),
        _ => value.ToString() ?? "",
    };

    /// <summary>DS allows 16 characters: use the shortest round-trip form, else drop precision until it fits.</summary>
    public static string FormatDecimalString(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d)) throw new DicomDataException($"DS cannot hold {d}.");
        var s = d.ToString("R", Inv);
        for (var p = 15; s.Length > 16 && p > 0; p--) s = d.ToString("G" + p, Inv);
        return s;
    }

    private static void WriteBinary<T>(Span<byte> dst, DicomVR vr, T value, DicomTag tag)
    {
        try
        {
            if (value is DicomTag at)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(dst, at.Group);
                BinaryPrimitives.WriteUInt16LittleEndian(dst[2..], at.Element);
                return;
            }
            object v = value is string s ? decimal.Parse(s, NumberStyles.Float, Inv) : value!;
            switch (vr.Code)
            {
                case "US" or "OW": BinaryPrimitives.WriteUInt16LittleEndian(dst, Convert.ToUInt16(v, Inv)); break;
                case "SS": BinaryPrimitives.WriteInt16LittleEndian(dst, Convert.ToInt16(v, Inv)); break;
                case "UL" or "OL": BinaryPrimitives.WriteUInt32LittleEndian(dst, Convert.ToUInt32(v, Inv)); break;
                case "SL": BinaryPrimitives.WriteInt32LittleEndian(dst, Convert.ToInt32(v, Inv)); break;
                case "FL" or "OF": BinaryPrimitives.WriteSingleLittleEndian(dst, Convert.ToSingle(v, Inv)); break;
                case "FD" or "OD": BinaryPrimitives.WriteDoubleLittleEndian(dst, Convert.ToDouble(v, Inv)); break;
                case "UV" or "OV": BinaryPrimitives.WriteUInt64LittleEndian(dst, Convert.ToUInt64(v, Inv)); break;
                case "SV": BinaryPrimitives.WriteInt64LittleEndian(dst, Convert.ToInt64(v, Inv)); break;
                case "AT":
                    var u = Convert.ToUInt32(v, Inv);
                    BinaryPrimitives.WriteUInt16LittleEndian(dst, (ushort)(u >> 16));
                    BinaryPrimitives.WriteUInt16LittleEndian(dst[2..], (ushort)u);
                    break;
                default: dst[0] = Convert.ToByte(v, Inv); break;
            }
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or InvalidCastException)
        {
            throw new DicomDataException($"{tag}: {value} is not a valid {vr} value.", ex);
        }
    }

    public static readonly Encoding Latin1 = Encoding.Latin1;
}
