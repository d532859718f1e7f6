using System.Text.RegularExpressions;
using Halflife.Reporting.Parsing.Lexicon;

namespace Halflife.Reporting.Parsing.Text;

/// <summary>A section of the canonical text: its heading (if any) and the content that follows it.</summary>
internal sealed record SectionRange(SectionKind Kind, string? Heading, int Start, int ContentStart, int End);

/// <summary>
/// Finds section headings (FINDINGS, IMPRESSION, 소견, 결론, [판독], "Impression:" with text on the same line...).
/// A heading must start a line and be followed by a colon, the end of the line or a closing bracket, so that
/// a sentence such as "Findings suggest..." is not mistaken for one. Text before the first heading is Body.
/// </summary>
internal static class SectionSplitter
{
    private static readonly Lazy<IReadOnlyList<(SectionKind Kind, Regex Heading)>> HeadingPatterns = new(Build);

    public static IReadOnlyList<SectionRange> Split(MappedText text)
    {
        var value = text.Value;
        var headings = new List<(SectionKind Kind, int Start, int HeadingEnd, int ContentStart)>();
        var lineStart = 0;
        while (lineStart <= value.Length)
        {
            var lineEnd = value.IndexOf('\n', lineStart);
            if (lineEnd < 0) lineEnd = value.Length;
            var line = value[lineStart..lineEnd];
            var best = (Kind: SectionKind.Body, Length: 0, HeadingLength: 0);
            foreach (var (kind, pattern) in HeadingPatterns.Value)
            {
                var m = pattern.Match(line);
                if (m.Success && m.Length > best.Length)
                    best = (kind, m.Length, m.Groups["h"].Index + m.Groups["h"].Length);
            }
            if (best.Length > 0)
                headings.Add((best.Kind, lineStart, lineStart + best.HeadingLength, lineStart + best.Length));
            if (lineEnd == value.Length) break;
            lineStart = lineEnd + 1;
        }

        var sections = new List<SectionRange>();
        var firstStart = headings.Count > 0 ? headings[0].Start : value.Length;
        if (firstStart > 0 && value[..firstStart].Trim().Length > 0)
            sections.Add(new SectionRange(SectionKind.Body, null, 0, 0, firstStart));
        for (var i = 0; i < headings.Count; i++)
        {
            var h = headings[i];
            var end = i + 1 < headings.Count ? headings[i + 1].Start : value.Length;
            var heading = text.Cased[h.Start..h.HeadingEnd].Trim(' ', '[', '(', '<', '【', '#', '*', '=', '-', '\n');
            var metadataEnd = IsMetadata(h.Kind) ? MetadataEnd(value, h.ContentStart, end) : end;
            sections.Add(new SectionRange(h.Kind, heading, h.Start, h.ContentStart, metadataEnd));
            // "Dx: breast ca." followed by findings without a heading: the findings are not history.
            if (metadataEnd < end && value[metadataEnd..end].Trim().Length > 0)
                sections.Add(new SectionRange(SectionKind.Body, null, metadataEnd, metadataEnd, end));
        }
        return sections;
    }

    private static bool IsMetadata(SectionKind kind) => kind is SectionKind.History or SectionKind.Technique or SectionKind.Comparison;

    // Referral, protocol and comparison headings carry a line or a paragraph: content on the heading's line
    // ends with that line; content under a bare heading ends at the next blank line.
    private static int MetadataEnd(string value, int contentStart, int end)
    {
        var lineEnd = value.IndexOf('\n', contentStart);
        if (lineEnd < 0 || lineEnd >= end) return end;
        if (value[contentStart..lineEnd].Trim().Length > 0) return lineEnd + 1;
        var blank = value.IndexOf("\n\n", lineEnd + 1, StringComparison.Ordinal);
        while (blank >= 0 && blank < end && value[(lineEnd + 1)..blank].Trim().Length == 0)
            blank = value.IndexOf("\n\n", blank + 1, StringComparison.Ordinal);
        return blank < 0 || blank >= end ? end : blank + 1;
    }

    private static IReadOnlyList<(SectionKind, Regex)> Build()
    {
        var list = new List<(SectionKind, Regex)>();
        foreach (var entry in Vocabularies.Sections.Entries)
        {
            if (!Enum.TryParse<SectionKind>(entry.Key, out var kind))
                throw new FormatException($"Unknown section kind '{entry.Key}' in sections.tsv.");
            var terms = string.Join("|", entry.Terms.OrderByDescending(t => t.Length)
                .Select(t => TermPattern.ToRegex(t.ToLowerInvariant())));
            var pattern =
                @"^[ ]*(?:[\[\(<【#*=\-]+[ ]*)?(?:\d{1,2}[.)][ ]*)?(?<h>" + terms + @")[ ]*" +
                @"(?:(?:[\]\)>】*=\-]+[ ]*)(?::[ ]*)?|:[ ]*|$)";
            list.Add((kind, new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(2))));
        }
        return list;
    }
}
