using System.Globalization;
using System.Text;

namespace Halflife.Reporting.Parsing.Text;

/// <summary>
/// Canonicalises report text without losing track of original offsets: Hangul is composed to NFC (reports
/// pasted from macOS or some RIS exports arrive decomposed), full-width ASCII (Ｌ４, ：) becomes ASCII,
/// exotic spaces and dashes become plain ones, invisible characters disappear, and known misspellings of
/// key words are corrected (<see cref="TypoCorrector"/>).
/// </summary>
internal static class TextNormalizer
{
    public static MappedText Normalize(string source)
    {
        var builder = new MappedText.Builder(source);
        var i = 0;
        while (i < source.Length)
        {
            var segmentEnd = CombiningSequenceEnd(source, i);
            var segment = source[i..segmentEnd];
            if (segmentEnd - i > 1 || !segment.IsNormalized(NormalizationForm.FormC))
            {
                var composed = segment.Normalize(NormalizationForm.FormC);
                var mapped = new StringBuilder(composed.Length);
                foreach (var c in composed) AppendMapped(mapped, c, source, i);
                builder.Append(mapped.ToString(), i, segmentEnd - i);
            }
            else
            {
                var mapped = new StringBuilder(1);
                AppendMapped(mapped, source[i], source, i);
                builder.Append(mapped.ToString(), i, 1);
            }
            i = segmentEnd;
        }
        return TypoCorrector.Correct(builder.Build());
    }

    // A base character plus the combining marks or Hangul vowel/final jamo that follow it.
    private static int CombiningSequenceEnd(string s, int start)
    {
        var end = start + 1;
        if (char.IsHighSurrogate(s[start]) && end < s.Length && char.IsLowSurrogate(s[end])) end++;
        while (end < s.Length && IsCombining(s[end])) end++;
        return end;
    }

    private static bool IsCombining(char c) =>
        c is (>= '\u1160' and <= '\u11FF') or (>= '\uD7B0' and <= '\uD7FF')
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    private static void AppendMapped(StringBuilder sb, char c, string source, int sourceIndex)
    {
        switch (c)
        {
            case >= '\uFF01' and <= '\uFF5E': sb.Append((char)(c - 0xFEE0)); break; // full-width ASCII
            case '\u3000' or '\u00A0' or '\u202F' or '\u205F' or (>= '\u2000' and <= '\u200A') or '\t' or '\v' or '\f':
                sb.Append(' '); break;
            case '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF': break; // invisible
            case '\r':
                // "\r\n" keeps one line break (from the '\n'); a lone '\r' is an old Mac line break.
                sb.Append(sourceIndex + 1 < source.Length && source[sourceIndex + 1] == '\n' ? ' ' : '\n');
                break;
            case '\u2028' or '\u2029' or '\u0085': sb.Append('\n'); break;
            case (>= '\u2010' and <= '\u2015') or '\u2212' or '\u301C' or '\uFE63': sb.Append(c == '\u301C' ? '~' : '-'); break;
            case '\u2018' or '\u2019' or '\u2032': sb.Append('\''); break;
            case '\u201C' or '\u201D': sb.Append('"'); break;
            case '\u2026': sb.Append('.'); break;
            case '\u3002': sb.Append('.'); break; // ideographic full stop
            case '\u3001' or '\u00B7' or '\u318D' or '\u30FB': sb.Append(','); break; // list separators (늑골·흉골)
            default: sb.Append(c); break;
        }
    }
}
