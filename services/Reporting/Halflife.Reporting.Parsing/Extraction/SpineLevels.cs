using System.Text.RegularExpressions;

namespace Halflife.Reporting.Parsing.Extraction;

/// <summary>
/// Vertebral levels: "L4", "T11-L1", "L3-5", "L4/5", "D12" (dorsal = thoracic), "S1", and the Korean forms
/// "제4요추", "요추 4번", "요추 3-5번". A range that crosses regions yields one site per region.
/// </summary>
internal static class SpineLevels
{
    private static readonly Regex Latin = new(
        @"(?<![a-z0-9/])(?<r1>[ctlsd])\s?-?(?<n1>\d{1,2})(?:\s*(?:-|~|to|through|/)\s*(?<r2>[ctlsd])?\s?-?(?<n2>\d{1,2}))?" +
        @"(?![0-9])(?!\s*(?:cm|mm|mci|hr|hrs|hours?|min|시간|th|st|nd|rd|번째|개|weighted|wi\b|w\b|%))(?![a-z])",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static readonly Regex Korean = new(
        @"제\s*(?<n1>\d{1,2})\s*(?<kr>경추|흉추|요추|천추)|(?<kr>경추|흉추|요추|천추)\s*(?:제\s*)?(?<n1>\d{1,2})\s*(?:번째|번)?(?:\s*(?<sep>[-~,])\s*(?<n2>\d{1,2}))?\s*(?:번째|번)?(?![0-9])",
        RegexOptions.CultureInvariant);

    private static readonly (char Region, int Count, SkeletalSite Site)[] Regions =
    [
        ('c', 7, SkeletalSite.CervicalSpine), ('t', 12, SkeletalSite.ThoracicSpine),
        ('l', 5, SkeletalSite.LumbarSpine), ('s', 5, SkeletalSite.Sacrum),
    ];

    public static IEnumerable<(int Start, int End, IReadOnlyList<string> Levels)> Find(string text)
    {
        foreach (Match m in Latin.Matches(text))
        {
            var r1 = Region(m.Groups["r1"].Value[0]);
            var n1 = int.Parse(m.Groups["n1"].Value);
            var r2 = m.Groups["r2"].Success ? Region(m.Groups["r2"].Value[0]) : r1;
            var n2 = m.Groups["n2"].Success ? int.Parse(m.Groups["n2"].Value) : n1;
            var levels = Expand(r1, n1, r2, n2);
            if (levels is not null) yield return (m.Index, m.Index + m.Length, levels);
        }
        foreach (Match m in Korean.Matches(text))
        {
            var region = m.Groups["kr"].Value switch { "경추" => 'c', "흉추" => 't', "요추" => 'l', _ => 's' };
            var n1 = int.Parse(m.Groups["n1"].Value);
            var n2 = m.Groups["n2"].Success ? int.Parse(m.Groups["n2"].Value) : n1;
            // "요추 2번, 4번" lists two levels; "요추 2-4번" is a range.
            var levels = m.Groups["sep"].Value == ","
                ? Expand(region, n1, region, n1)?.Concat(Expand(region, n2, region, n2) ?? []).Distinct().ToList()
                : Expand(region, n1, region, n2);
            if (levels is not null) yield return (m.Index, m.Index + m.Length, levels);
        }
    }

    public static SkeletalSite SiteOf(string level) => Regions.First(r => r.Region == char.ToLowerInvariant(level[0])).Site;

    private static char Region(char c) => c == 'd' ? 't' : c;

    // Levels in anatomical order; null when a level does not exist (C9, L7), which means the text was not a level.
    private static List<string>? Expand(char r1, int n1, char r2, int n2)
    {
        var order = Regions.Select(r => r.Region).ToList();
        int Index(char r, int n) => Regions.Take(order.IndexOf(r)).Sum(x => x.Count) + n - 1;
        bool Valid(char r, int n) => n >= 1 && n <= Regions[order.IndexOf(r)].Count + (r == 'l' ? 1 : 0);
        if (!Valid(r1, n1) || !Valid(r2, n2)) return null;
        var a = Index(r1, Math.Min(n1, r1 == 'l' ? 5 : n1));
        var b = Index(r2, Math.Min(n2, r2 == 'l' ? 5 : n2));
        if (b < a || b - a > 24) return null;
        var levels = new List<string>();
        for (var i = a; i <= b; i++)
        {
            var offset = i;
            foreach (var (region, count, _) in Regions)
            {
                if (offset < count) { levels.Add($"{char.ToUpperInvariant(region)}{offset + 1}"); break; }
                offset -= count;
            }
        }
        return levels;
    }
}
