using Halflife.Reporting.Parsing.Extraction;
using Halflife.Reporting.Parsing.Text;

namespace Halflife.Reporting.Parsing;

/// <summary>
/// Parses a free-text whole-body bone-scan report (English, Korean, or the mix Korean hospitals write)
/// into findings per skeletal site, an impression category, the comparison with a prior study and the
/// recommendations. Rule-based and deterministic: every fact carries the span of original text it came
/// from so a person can check it. Thread-safe; the vocabularies are loaded once.
/// </summary>
public static class ReportParser
{
    /// <summary>Reports are a few kilobytes; the cap keeps a pasted document from costing unbounded time.</summary>
    public const int MaxLength = 100_000;

    public static ParsedReport Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
            throw new ArgumentException($"Report text is {text.Length} characters; the parser accepts at most {MaxLength}.", nameof(text));

        var mapped = TextNormalizer.Normalize(text);
        var sections = SectionSplitter.Split(mapped);
        var sentences = SentenceAnalyzer.Analyze(mapped, sections);
        var findings = FindingExtractor.Extract(mapped, sentences);
        return new ParsedReport(
            sections.Select(s => new ReportSection(s.Kind, s.Heading, mapped.ToSpan(s.ContentStart, s.End))).ToList(),
            findings,
            ImpressionClassifier.Classify(mapped, sentences, findings),
            ComparisonExtractor.Extract(mapped, sentences),
            RecommendationExtractor.Extract(mapped, sentences));
    }
}
