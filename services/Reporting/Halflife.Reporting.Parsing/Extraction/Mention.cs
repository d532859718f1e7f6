using Halflife.Reporting.Parsing.Lexicon;

namespace Halflife.Reporting.Parsing.Extraction;

internal enum MentionLayer { Observation, Interpretation, Cue, Comparison, Recommendation }

/// <summary>A lexicon term found in the canonical text, [Start, End).</summary>
internal sealed record Mention(MentionLayer Layer, string Key, int Start, int End)
{
    public bool Contains(Mention other) => Start <= other.Start && other.End <= End;
    public bool Overlaps(int start, int end) => Start < end && start < End;
}

/// <summary>Finds every term of a lexicon; where terms overlap, the longest wins (NegEx-style maximal munch).</summary>
internal static class MentionScanner
{
    public static IReadOnlyList<Mention> Scan(string text, LexiconTable table, MentionLayer layer)
    {
        var all = new List<Mention>();
        foreach (var entry in table.Entries)
            foreach (var (start, end) in AllMatches(entry.Pattern, text))
                all.Add(new Mention(layer, entry.Key, start, end));
        return KeepLongest(all, m => m.Start, m => m.End);
    }

    /// <summary>
    /// Matches starting at every position, overlapping ones included: Regex.Matches would let "가능성 배제"
    /// consume the start of the longer "배제할 수 없" and hide it; overlaps are settled by KeepLongest.
    /// </summary>
    public static IEnumerable<(int Start, int End)> AllMatches(System.Text.RegularExpressions.Regex pattern, string text)
    {
        var position = 0;
        while (position < text.Length)
        {
            var m = pattern.Match(text, position);
            if (!m.Success) yield break;
            if (m.Length > 0) yield return (m.Index, m.Index + m.Length);
            position = m.Index + 1;
        }
    }

    public static IReadOnlyList<T> KeepLongest<T>(IEnumerable<T> items, Func<T, int> start, Func<T, int> end)
    {
        var accepted = new List<T>();
        foreach (var item in items.OrderByDescending(i => end(i) - start(i)).ThenBy(start))
            if (!accepted.Any(a => start(a) < end(item) && start(item) < end(a)))
                accepted.Add(item);
        accepted.Sort((a, b) => start(a).CompareTo(start(b)));
        return accepted;
    }
}
