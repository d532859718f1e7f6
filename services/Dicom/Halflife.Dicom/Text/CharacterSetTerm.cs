using System.Text;

namespace Halflife.Dicom.Text;

/// <summary>
/// One defined term of (0008,0005) Specific Character Set (PS3.3 C.12.1.1.2): the .NET encoding behind it
/// and, for the ISO 2022 terms, the escape sequence that designates it and the graphic set (G0/G1) it lands in.
/// </summary>
internal sealed class CharacterSetTerm
{
    static CharacterSetTerm() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private CharacterSetTerm(string term, int codePage, byte[] escape, bool g0, bool multiByte)
    {
        Term = term;
        CodePage = codePage;
        Escape = escape;
        IsG0 = g0;
        IsMultiByte = multiByte;
    }

    public string Term { get; }
    public int CodePage { get; }

    /// <summary>The escape sequence without the leading ESC (0x1B); empty for terms that allow no code extension.</summary>
    public byte[] Escape { get; }

    /// <summary>G0 sets replace ASCII (bytes 0x21-0x7E); G1 sets occupy the upper half (0xA1-0xFE).</summary>
    public bool IsG0 { get; }

    /// <summary>Two bytes per character (JIS X 0208/0212, KS X 1001, GB 2312).</summary>
    public bool IsMultiByte { get; }

    public Encoding Encoding => _encoding ??= CreateEncoding(CodePage);
    private Encoding? _encoding;

    public const int Latin1 = 28591;
    public const int EucJp = 51932;
    public const int EucKr = 51949;

    private static readonly CharacterSetTerm[] All =
    [
        new("ISO_IR 6", Latin1, Esc("(B"), true, false),
        new("ISO_IR 100", 28591, Esc("-A"), false, false),
        new("ISO_IR 101", 28592, Esc("-B"), false, false),
        new("ISO_IR 109", 28593, Esc("-C"), false, false),
        new("ISO_IR 110", 28594, Esc("-D"), false, false),
        new("ISO_IR 144", 28595, Esc("-L"), false, false),
        new("ISO_IR 127", 28596, Esc("-G"), false, false),
        new("ISO_IR 126", 28597, Esc("-F"), false, false),
        new("ISO_IR 138", 28598, Esc("-H"), false, false),
        new("ISO_IR 148", 28599, Esc("-M"), false, false),
        new("ISO_IR 203", 28605, Esc("-b"), false, false),
        new("ISO_IR 166", 874, Esc("-T"), false, false),
        new("ISO_IR 13", 932, Esc(")I"), false, false),
        new("ISO 2022 IR 6", Latin1, Esc("(B"), true, false),
        new("ISO 2022 IR 100", 28591, Esc("-A"), false, false),
        new("ISO 2022 IR 101", 28592, Esc("-B"), false, false),
        new("ISO 2022 IR 109", 28593, Esc("-C"), false, false),
        new("ISO 2022 IR 110", 28594, Esc("-D"), false, false),
        new("ISO 2022 IR 144", 28595, Esc("-L"), false, false),
        new("ISO 2022 IR 127", 28596, Esc("-G"), false, false),
        new("ISO 2022 IR 126", 28597, Esc("-F"), false, false),
        new("ISO 2022 IR 138", 28598, Esc("-H"), false, false),
        new("ISO 2022 IR 148", 28599, Esc("-M"), false, false),
        new("ISO 2022 IR 203", 28605, Esc("-b"), false, false),
        new("ISO 2022 IR 166", 874, Esc("-T"), false, false),
        new("ISO 2022 IR 13", 932, Esc(")I"), false, false),
        new("ISO 2022 IR 14", 932, Esc("(J"), true, false),
        new("ISO 2022 IR 87", EucJp, Esc("$B"), true, true),
        new("ISO 2022 IR 159", EucJp, Esc("$(D"), true, true),
        new("ISO 2022 IR 149", EucKr, Esc("$)C"), false, true),
        new("ISO 2022 IR 58", 936, Esc("$)A"), false, true),
        new("ISO_IR 192", 65001, [], false, true),
        new("GB18030", 54936, [], false, true),
        new("GBK", 936, [], false, true),
    ];

    public static readonly CharacterSetTerm Default = All[0];

    private static readonly Dictionary<string, CharacterSetTerm> ByTerm = All.ToDictionary(t => t.Term, StringComparer.Ordinal);

    public static bool TryGet(string term, out CharacterSetTerm found)
    {
        var key = term.Trim();
        if (key.Length == 0)
        {
            found = Default;
            return true;
        }
        // Seen in the wild: "ISO-IR 100", "ISO_IR100", lower case. Normalise those before giving up.
        if (ByTerm.TryGetValue(key, out found!)) return true;
        var normalised = key.ToUpperInvariant().Replace('-', '_');
        if (normalised.StartsWith("ISO_IR", StringComparison.Ordinal) && !normalised.StartsWith("ISO_IR ", StringComparison.Ordinal))
            normalised = "ISO_IR " + normalised[6..].TrimStart('_');
        return ByTerm.TryGetValue(normalised, out found!);
    }

    /// <summary>Finds the term whose escape sequence starts at <paramref name="bytes"/> (just after ESC).</summary>
    public static CharacterSetTerm? MatchEscape(ReadOnlySpan<byte> bytes, out int length)
    {
        foreach (var t in All)
        {
            if (t.Escape.Length > 0 && bytes.StartsWith(t.Escape) && (t.Term.StartsWith("ISO 2022", StringComparison.Ordinal) || t == Default))
            {
                length = t.Escape.Length;
                return t;
            }
        }
        length = 0;
        return null;
    }

    private static byte[] Esc(string s) => Encoding.ASCII.GetBytes(s);

    private static Encoding CreateEncoding(int codePage) =>
        Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ReplacementFallback);

    public override string ToString() => Term;
}
