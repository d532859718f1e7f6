using System.Text.RegularExpressions;

namespace Halflife.Reporting.Parsing.Text;

/// <summary>A sentence of the canonical text, list marker ("1.", "-", "①") already stripped.</summary>
internal sealed record SentenceRange(int Start, int End, SectionKind Section);

/// <summary>
/// Splits section content into sentences. Reports break sentences with full stops, with line breaks
/// (often without a full stop, especially in Korean) and with numbered lists; they also put full stops
/// inside abbreviations (Rt., Lt., ant.) and dates ("2023. 3. 15."), which must not end a sentence.
/// A line break inside a sentence wrapped by the editor (next line starts in lower case) is joined.
/// </summary>
internal static class SentenceSplitter
{
    private static readonly HashSet<string> Abbreviations =
    [
        "rt", "lt", "bil", "bilat", "ant", "post", "lat", "med", "sup", "inf", "approx", "e.g", "i.e", "eg", "ie",
        "vs", "dr", "prox", "dist", "mid", "cf", "fig", "pt", "hx", "dx", "r", "l", "b", "st", "no", "incl", "resp",
    ];

    private static readonly Regex Dates = new(
        @"(?:19|20)\d{2}\s*[.\-/]\s*\d{1,2}\s*[.\-/]\s*\d{1,2}\.?|\d{1,2}\s*[./]\s*\d{1,2}\s*[./]\s*(?:19|20)\d{2}|'\d{2}\.\s*\d{1,2}\.\s*\d{1,2}\.?|(?:19|20)\d{2}\.\s*\d{1,2}\.",
        RegexOptions.CultureInvariant);

    private static readonly Regex ListMarker = new(
        @"^\s*(?:\(?\d{1,2}[.)](?!\d)|#\d{1,2}\.?|[-*•▶►○●■□◆◇→>]+|[①-⑳]|\[\d{1,2}\])\s*",
        RegexOptions.CultureInvariant);

    public static IReadOnlyList<SentenceRange> Split(MappedText text, SectionRange section)
    {
        var v = text.Value;
        var start = section.ContentStart;
        var end = section.End;
        var protectedRanges = Dates.Matches(v[start..end]).Select(m => (start + m.Index, start + m.Index + m.Length)).ToList();
        bool IsProtected(int i) => protectedRanges.Any(r => i >= r.Item1 && i < r.Item2);

        var sentences = new List<SentenceRange>();
        var cur = start;
        for (var i = start; i < end; i++)
        {
            var c = v[i];
            if (c == '\n')
            {
                if (IsLineBoundary(text, cur, i, end)) { Emit(text, cur, i, section.Kind, sentences); cur = i + 1; }
                continue;
            }
            if (c is not ('.' or '!' or '?')) continue;
            var followedBySpace = i + 1 >= end || char.IsWhiteSpace(v[i + 1]) || v[i + 1] is ')' or '"' or '\'';
            if (!followedBySpace) continue;
            if (c == '?' && i > 0 && char.IsWhiteSpace(v[i - 1])) continue; // "? fracture" is a hedge
            if (c == '.' && (IsProtected(i) || IsAbbreviation(v, cur, i) || IsLeadingListMarker(v, cur, i))) continue;
            Emit(text, cur, i + 1, section.Kind, sentences);
            cur = i + 1;
        }
        Emit(text, cur, end, section.Kind, sentences);
        return sentences;
    }

    private static bool IsLineBoundary(MappedText text, int sentenceStart, int newline, int end)
    {
        var v = text.Value;
        var p = newline - 1;
        while (p >= sentenceStart && v[p] == ' ') p--;
        if (p < sentenceStart) return true;
        var n = newline + 1;
        while (n < end && v[n] == ' ') n++;
        if (n >= end || v[n] == '\n') return true;
        if (LooksLikeListStart(v, n)) return true;
        var prev = v[p];
        if (prev is '.' or ';' or ':' or '!' or '?') return true;
        var next = text.Cased[n];
        // A line wrapped mid-sentence continues in lower case (or after a trailing comma).
        var continues = next is >= 'a' and <= 'z' && (char.IsLetterOrDigit(prev) || prev is ')' or '-');
        if (prev == ',' || continues) return false;
        return true;
    }

    private static bool LooksLikeListStart(string v, int n) =>
        v[n] is '(' or >= '0' and <= '9'
            ? Regex.IsMatch(v.AsSpan(n, Math.Min(5, v.Length - n)), @"^\(?\d{1,2}[.)]\s")
            : v[n] is '-' or '*' or '•' or '▶' or '►' or '○' or '●' or '■' or '□' or '◆' or '◇' or '→' or '>' or '#' or '[' or (>= '①' and <= '⑳');

    private static bool IsAbbreviation(string v, int sentenceStart, int dot)
    {
        var s = dot - 1;
        while (s >= sentenceStart && (char.IsLetter(v[s]) || v[s] == '.')) s--;
        var word = v[(s + 1)..dot].TrimStart('.'); // "2.rt." after a list number
        if (word.Length == 0) return false;
        if (word == "no") return dot + 2 < v.Length && char.IsDigit(v[dot + 2]);
        return Abbreviations.Contains(word) && !(word.Length == 1 && s >= sentenceStart && char.IsDigit(v[s]));
    }

    private static bool IsLeadingListMarker(string v, int sentenceStart, int dot)
    {
        var segment = v[sentenceStart..dot].Trim();
        return segment.Length is > 0 and <= 2 && segment.All(char.IsDigit);
    }

    private static void Emit(MappedText text, int start, int end, SectionKind kind, List<SentenceRange> into)
    {
        var v = text.Value;
        var marker = ListMarker.Match(v[start..end]);
        if (marker.Success && marker.Length > 0) start += marker.Length;
        while (start < end && char.IsWhiteSpace(v[start])) start++;
        while (end > start && char.IsWhiteSpace(v[end - 1])) end--;
        if (end <= start) return;
        if (!v.AsSpan(start, end - start).ContainsAnyExcept(".,;:!?-*=#()[]<> \n")) return;
        into.Add(new SentenceRange(start, end, kind));
    }
}
