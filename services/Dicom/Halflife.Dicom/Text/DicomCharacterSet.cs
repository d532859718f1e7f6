using System.Text;

namespace Halflife.Dicom.Text;

/// <summary>
/// Decodes and encodes text values under a (0008,0005) Specific Character Set, including ISO 2022 code
/// extensions (PS3.5 6.1.2.5): escape sequences switch the G0 or G1 set inside a value, and the first
/// term is active again at every value, component group and line delimiter.
/// </summary>
public sealed class DicomCharacterSet
{
    private readonly CharacterSetTerm[] _terms;

    private DicomCharacterSet(CharacterSetTerm[] terms, string[] names)
    {
        _terms = terms;
        Terms = names;
    }

    public static readonly DicomCharacterSet Default = new([CharacterSetTerm.Default], [""]);

    /// <summary>The defined terms as given, first one being the initial set.</summary>
    public IReadOnlyList<string> Terms { get; }

    private CharacterSetTerm Initial => _terms[0];

    /// <summary>
    /// Builds the character set from (0008,0005) values. Unknown terms fall back to the default repertoire,
    /// read as Latin-1 so that no byte is lost, which is also what pydicom does.
    /// </summary>
    public static DicomCharacterSet FromTerms(IReadOnlyList<string> values)
    {
        if (values.Count == 0) return Default;
        var terms = new List<CharacterSetTerm>();
        for (var i = 0; i < values.Count; i++)
        {
            if (CharacterSetTerm.TryGet(values[i], out var t)) terms.Add(t);
            else if (i == 0) terms.Add(CharacterSetTerm.Default);
        }
        return new DicomCharacterSet(terms.ToArray(), values.Select(v => v.Trim()).ToArray());
    }

    public static DicomCharacterSet FromTerms(params string[] values) => FromTerms((IReadOnlyList<string>)values);

    /// <summary>Decodes one element value; <paramref name="isPersonName"/> makes '^' and '=' reset the sets too.</summary>
    public string Decode(ReadOnlySpan<byte> bytes, bool isPersonName = false)
    {
        if (bytes.IsEmpty) return string.Empty;
        if (bytes.IndexOf((byte)0x1B) < 0) return Initial.Encoding.GetString(bytes);

        var sb = new StringBuilder(bytes.Length);
        var g0 = Initial.IsG0 ? Initial : CharacterSetTerm.Default;
        var g1 = Initial.IsG0 ? null : Initial;
        var start = 0;
        var i = 0;
        while (i < bytes.Length)
        {
            var b = bytes[i];
            if (b == 0x1B)
            {
                AppendRun(sb, bytes[start..i], g0, g1);
                var term = CharacterSetTerm.MatchEscape(bytes[(i + 1)..], out var len);
                if (term is null)
                {
                    // An escape we do not know: keep it visible rather than guess a set.
                    sb.Append('\u001B');
                    i++;
                }
                else
                {
                    if (term.IsG0) g0 = term;
                    else g1 = term;
                    i += 1 + len;
                }
                start = i;
                continue;
            }
            if (g0.IsMultiByte && b >= 0x21 && b <= 0x7E)
            {
                // Inside a two-byte G0 set a byte like 0x5C is half a character, never a delimiter.
                i += 2;
                continue;
            }
            if (IsReset(b, isPersonName))
            {
                AppendRun(sb, bytes[start..i], g0, g1);
                sb.Append((char)b);
                g0 = Initial.IsG0 ? Initial : CharacterSetTerm.Default;
                g1 = Initial.IsG0 ? null : Initial;
                start = ++i;
                continue;
            }
            i++;
        }
        AppendRun(sb, bytes[start..Math.Min(i, bytes.Length)], g0, g1);
        return sb.ToString();
    }

    private static bool IsReset(byte b, bool isPersonName) =>
        b is (byte)'\\' or 0x0D or 0x0A or 0x09 or 0x0C || (isPersonName && b is (byte)'^' or (byte)'=');

    private static void AppendRun(StringBuilder sb, ReadOnlySpan<byte> run, CharacterSetTerm g0, CharacterSetTerm? g1)
    {
        if (run.IsEmpty) return;
        if (g0.IsMultiByte)
        {
            // JIS X 0208 in G0 is EUC-JP with the high bit cleared; JIS X 0212 also carries the SS3 prefix.
            var euc = new byte[run.Length + (g0.Term.EndsWith("159", StringComparison.Ordinal) ? run.Length / 2 + 1 : 0)];
            var n = 0;
            for (var k = 0; k < run.Length; k++)
            {
                if (g0.Term.EndsWith("159", StringComparison.Ordinal) && k % 2 == 0) euc[n++] = 0x8F;
                euc[n++] = (byte)(run[k] | 0x80);
            }
            sb.Append(g0.Encoding.GetString(euc, 0, n));
            return;
        }
        // The G1 set's encoding also covers ASCII in its lower half (ISO 8859, EUC-KR, GB 2312, Shift-JIS).
        sb.Append((g1 ?? g0).Encoding.GetString(run));
    }

    /// <summary>
    /// Encodes text with the first term when it can, else switches with escape sequences to the first
    /// other term that can encode each run, as PS3.5 6.1.2.5.3 describes.
    /// </summary>
    public byte[] Encode(string text, bool isPersonName = false)
    {
        if (text.Length == 0) return [];
        if (_terms.Length == 1 || !IsIso2022)
        {
            try
            {
                return Initial.Encoding.GetBytes(text);
            }
            catch (EncoderFallbackException)
            {
                throw new DicomDataException($"'{text}' cannot be encoded with Specific Character Set '{string.Join('\\', Terms)}'.");
            }
        }

        using var ms = new MemoryStream(text.Length * 2);
        CharacterSetTerm? active = null;
        var pos = 0;
        while (pos < text.Length)
        {
            var c = text[pos];
            var delimiter = c is '\\' or '\r' or '\n' or '\t' or '\f' || (isPersonName && c is '^' or '=');
            if (c < 0x80)
            {
                if (active is { IsG0: true } && active != CharacterSetTerm.Default)
                    WriteEscape(ms, CharacterSetTerm.Default);
                if (delimiter || active is { IsG0: true }) active = null;
                ms.WriteByte((byte)c);
                pos++;
                continue;
            }
            var runEnd = pos;
            while (runEnd < text.Length && text[runEnd] >= 0x80) runEnd++;
            var run = text.Substring(pos, runEnd - pos);
            var term = _terms.FirstOrDefault(t => CanEncode(t, run))
                ?? throw new DicomDataException($"'{text}' cannot be encoded with Specific Character Set '{string.Join('\\', Terms)}'.");
            if (term != Initial || active is not null) WriteEscape(ms, term);
            active = term;
            WriteRun(ms, term, run);
            pos = runEnd;
        }
        if (active is { IsG0: true } && active != CharacterSetTerm.Default) WriteEscape(ms, CharacterSetTerm.Default);
        return ms.ToArray();
    }

    private bool IsIso2022 => _terms.Any(t => t.Escape.Length > 0 && t.Term.StartsWith("ISO 2022", StringComparison.Ordinal));

    private static bool CanEncode(CharacterSetTerm term, string run)
    {
        try
        {
            var bytes = term.Encoding.GetBytes(run);
            // A multi-byte G0 set must come back as pairs of EUC bytes; G1 sets must not fall into ASCII.
            return term.IsMultiByte && term.IsG0 ? bytes.All(b => b >= 0xA1) && bytes.Length % 2 == 0 : bytes.All(b => b >= 0x80);
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    private static void WriteRun(MemoryStream ms, CharacterSetTerm term, string run)
    {
        var bytes = term.Encoding.GetBytes(run);
        if (term.IsMultiByte && term.IsG0)
            for (var k = 0; k < bytes.Length; k++) bytes[k] &= 0x7F;
        ms.Write(bytes);
    }

    private static void WriteEscape(MemoryStream ms, CharacterSetTerm term)
    {
        ms.WriteByte(0x1B);
        ms.Write(term.Escape);
    }

    public override string ToString() => string.Join('\\', Terms);
}
