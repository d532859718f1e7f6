using System.Text;

namespace Halflife.Reporting.Hl7;

/// <summary>
/// The character encoding of an HL7 message: from MSH-18 (HL7 table 0211) when given, else UTF-8 when the bytes are
/// valid UTF-8, else the configured fallback (Korean hospital systems often send EUC-KR without saying so).
/// The MSH segment is read from the raw bytes first, which works because every encoding we accept keeps ASCII bytes
/// (and thus the delimiters) as they are.
/// </summary>
public static class Hl7Encoding
{
    static Hl7Encoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>Decodes a frame's payload; returns the text and the encoding to answer in.</summary>
    /// <exception cref="Hl7FormatException">MSH-18 names a character set we cannot read, or the bytes do not match it.</exception>
    public static (string Text, Encoding Encoding) Decode(ReadOnlySpan<byte> payload, string fallback)
    {
        var declared = DeclaredCharacterSet(payload);
        Encoding encoding;
        if (declared is null)
        {
            if (IsValidUtf8(payload)) encoding = StrictUtf8;
            else encoding = Resolve(fallback) ?? throw new Hl7FormatException($"Fallback encoding '{fallback}' is unknown.", "207");
        }
        else
        {
            encoding = Resolve(declared) ?? throw new Hl7FormatException($"MSH-18 character set '{declared}' is not supported (use UNICODE UTF-8 or KS X 1001).", "203");
        }
        try
        {
            return (encoding.GetString(payload), encoding);
        }
        catch (DecoderFallbackException)
        {
            throw new Hl7FormatException($"The message bytes are not valid {declared ?? encoding.WebName}.", "102");
        }
    }

    /// <summary>HL7 table 0211 names (and the spellings Korean systems use) to .NET encodings; null when unknown.</summary>
    public static Encoding? Resolve(string name)
    {
        var key = name.Trim().ToUpperInvariant().Replace("_", " ", StringComparison.Ordinal);
        return key switch
        {
            "UNICODE UTF-8" or "UTF-8" or "UTF8" or "UNICODE" or "ISO IR192" or "ISO IR 192" => StrictUtf8,
            // Code page 949 (UHC) is a superset of EUC-KR: it also reads the extended Hangul that Korean HIS emit.
            "KS X 1001" or "KSX1001" or "KS C 5601" or "KSC5601" or "KSC 5601" or "EUC-KR" or "EUCKR" or "ISO IR149" or "ISO IR 149"
                or "CP949" or "MS949" => Encoding.GetEncoding(949, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback),
            "8859/1" or "ISO-8859-1" or "LATIN1" or "ISO IR100" => Encoding.Latin1,
            // Plain ASCII read as Latin-1, so that a stray byte is visible rather than an error.
            "ASCII" or "ISO IR6" => Encoding.Latin1,
            _ => null,
        };
    }

    private static string? DeclaredCharacterSet(ReadOnlySpan<byte> payload)
    {
        var start = payload.IndexOf("MSH"u8);
        if (start < 0 || payload.Length < start + 4) return null;
        var segment = payload[start..];
        var end = segment.IndexOfAny((byte)'\r', (byte)'\n');
        if (end >= 0) segment = segment[..end];
        var separator = segment[3];
        var field = 1; // MSH-1 is the separator itself; the byte after it starts MSH-2
        var fieldStart = 4;
        for (var i = 4; i <= segment.Length; i++)
        {
            if (i < segment.Length && segment[i] != separator) continue;
            field++;
            if (field == 18)
            {
                var value = Encoding.ASCII.GetString(segment[fieldStart..i]);
                // Repetitions name alternate sets for escape sequences; the first is the default one.
                var first = value.Split('~')[0].Split('^')[0].Trim();
                return first.Length == 0 ? null : first;
            }
            fieldStart = i + 1;
        }
        return null;
    }

    private static bool IsValidUtf8(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);
}
