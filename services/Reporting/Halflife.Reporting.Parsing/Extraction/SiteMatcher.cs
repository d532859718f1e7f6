using System.Text.RegularExpressions;
using Halflife.Reporting.Parsing.Lexicon;

namespace Halflife.Reporting.Parsing.Extraction;

/// <summary>
/// Finds site mentions and reads the words in front of each one for side and rib numbers
/// ("Rt. 6th and 7th ribs", "우측 제6번째 늑골", "bilateral knees"), or a side written after it ("rib (Rt)").
/// </summary>
internal static class SiteMatcher
{
    private const string Lat =
        @"(?:rt|right|r)\.?\s*(?:and|&|/|,)\s*(?:lt|left|l)\.?|(?:lt|left|l)\.?\s*(?:and|&|/|,)\s*(?:rt|right|r)\.?" +
        @"|좌우측|좌우|양측|양쪽|bilateral|bilat\.?|bil\.?|both|b/l|right|left|rt\.?|lt\.?|r\.|l\.|r|l|우측|좌측|오른쪽|왼쪽|우|좌";

    private const string Num =
        @"(?:제\s*)?\d{1,2}(?:st|nd|rd|th)?(?:\s*(?:번째|번))?(?![a-z0-9])" +
        @"|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth";

    private const string Mod =
        @"(?:anterior|posterior|ant|post|lateral|lat|medial|med|upper|lower|mid|middle|proximal|prox|distal|dist|superior|sup" +
        @"|inferior|inf|inner|outer|the|of|shaft|neck|head|body|aspect|portion|side|multiple|several|total|great|big|little|small)\.?(?![a-z])" +
        @"|전방|후방|외측|내측|상부|하부|중간|근위부|근위|원위부|원위|앞쪽|뒤쪽|전면|후면|부위|쪽|손의|발의|손|발";

    private const string Sep = @",|and|&|-|~|to|through|/|및|과|와|or";

    private static readonly Regex Prefix = new(
        $@"(?:(?<![a-z0-9가-힣])(?<lat>{Lat})(?![a-z])\s*)?(?:(?<![a-z0-9])(?:{Num}|{Mod})(?:\s*(?:{Sep})(?![a-z])\s*|\s*)){{0,10}}$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Compiled);

    private static readonly Regex NumberToken = new(
        $@"(?<n>{Num})|(?<range>-|~|to|through)(?![a-z])", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    private static readonly Regex Suffix = new(
        @"^\s*(?:\(\s*(?<lat>rt|lt|r|l|right|left|bil|both|bilateral|b/l|우|좌|우측|좌측|양측)\.?\s*\)|,?\s*on\s+the\s+(?<lat>right|left)(?:\s+side)?|\s+(?<lat>bilaterally)|,?\s*on\s+(?<lat>both)\s+sides)",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    private static readonly string[] Words =
        ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth"];

    public static IReadOnlyList<SiteMention> Find(string text)
    {
        var raw = new List<(int Start, int End, SkeletalSite[] Sites, IReadOnlyList<string> Levels)>();
        foreach (var entry in Vocabularies.Sites.Entries)
        {
            var sites = entry.Key.Split('+').Select(Enum.Parse<SkeletalSite>).ToArray();
            foreach (var (start, end) in MentionScanner.AllMatches(entry.Pattern, text))
                raw.Add((start, end, sites, []));
        }
        foreach (var (start, end, levels) in SpineLevels.Find(text))
            raw.Add((start, end, levels.Select(SpineLevels.SiteOf).Distinct().ToArray(), levels));

        var kept = MentionScanner.KeepLongest(raw, r => r.Start, r => r.End);
        return kept.Select(r => Qualify(text, r.Start, r.End, r.Sites, r.Levels)).ToList();
    }

    private static SiteMention Qualify(string text, int start, int end, SkeletalSite[] sites, IReadOnlyList<string> levels)
    {
        var lineStart = text.LastIndexOf('\n', Math.Max(0, start - 1)) + 1;
        var windowStart = Math.Max(lineStart, start - 60);
        var prefix = Prefix.Match(text[windowStart..start]);
        var phraseStart = start;
        var laterality = Laterality.None;
        var ribs = new List<int>();
        if (prefix.Success && prefix.Length > 0)
        {
            phraseStart = windowStart + prefix.Index;
            if (prefix.Groups["lat"].Success) laterality = ParseLaterality(prefix.Groups["lat"].Value);
            if (sites.Contains(SkeletalSite.Rib)) ribs = ParseNumbers(prefix.Value);
            while (phraseStart < start && char.IsWhiteSpace(text[phraseStart])) phraseStart++;
        }
        var suffix = Suffix.Match(text[end..Math.Min(text.Length, end + 30)]);
        if (laterality == Laterality.None && suffix.Success) laterality = ParseLaterality(suffix.Groups["lat"].Value);
        if (!sites.Any(SiteRules.CanBeLateral)) laterality = Laterality.None;
        return new SiteMention(sites, levels, ribs, laterality, phraseStart, start, end);
    }

    internal static Laterality ParseLaterality(string token)
    {
        var t = token.Replace(".", "").Trim();
        if (t.Contains("and") || t.Contains('&') || t.Contains('/') && t != "b/l" || t.Contains(',') || t.StartsWith("좌우"))
            return Laterality.Bilateral;
        return t switch
        {
            "bilateral" or "bilat" or "bil" or "both" or "b/l" or "bilaterally" or "양측" or "양쪽" => Laterality.Bilateral,
            "right" or "rt" or "r" or "우측" or "오른쪽" or "우" => Laterality.Right,
            "left" or "lt" or "l" or "좌측" or "왼쪽" or "좌" => Laterality.Left,
            _ => Laterality.None,
        };
    }

    private static List<int> ParseNumbers(string phrase)
    {
        var numbers = new List<int>();
        var pendingRange = false;
        foreach (Match m in NumberToken.Matches(phrase))
        {
            if (m.Groups["range"].Success) { pendingRange = numbers.Count > 0; continue; }
            var token = m.Groups["n"].Value;
            var wordIndex = Array.IndexOf(Words, token);
            var n = wordIndex >= 0 ? wordIndex + 1 : int.Parse(Regex.Match(token, @"\d+").Value);
            if (n is < 1 or > 12) { pendingRange = false; continue; }
            if (pendingRange && numbers[^1] < n)
                for (var k = numbers[^1] + 1; k < n; k++) numbers.Add(k);
            numbers.Add(n);
            pendingRange = false;
        }
        return numbers.Distinct().ToList();
    }
}
