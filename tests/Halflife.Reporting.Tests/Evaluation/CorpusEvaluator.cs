using System.Globalization;
using System.Text;
using Halflife.Reporting.Parsing;

namespace Halflife.Reporting.Tests.Evaluation;

/// <summary>
/// Scores the parser against the annotated corpus, field by field. Findings are compared as sets of keys
/// per report, growing more specific: site; site+side; site+side+assertion; site+sign; site+diagnosis;
/// site+side+level/rib number. So a wrong side costs in "laterality" but not in "sites".
/// </summary>
public sealed class CorpusEvaluator
{
    public FieldScore Sites { get; } = new("sites");
    public FieldScore Laterality { get; } = new("laterality (site+side)");
    public FieldScore Assertion { get; } = new("assertion (site+side+assertion)");
    public FieldScore Observation { get; } = new("observation (site+sign)");
    public FieldScore Interpretation { get; } = new("interpretation (site+diagnosis)");
    public FieldScore Detail { get; } = new("levels and rib numbers");
    public FieldScore ComparisonPresence { get; } = new("comparison present");
    public FieldScore ComparisonDate { get; } = new("comparison date");
    public FieldScore Recommendations { get; } = new("recommendations");
    public AccuracyScore Impression { get; } = new("impression category");
    public AccuracyScore ComparisonChange { get; } = new("comparison change (when compared)");
    public List<string> Errors { get; } = [];
    public int Reports { get; private set; }

    public void Add(CorpusCase c, ParsedReport parsed)
    {
        Reports++;
        var e = c.Expected;
        Record(c.Id, Sites.Add(e.Findings.Select(f => $"{f.Site}"), parsed.Findings.Select(f => $"{f.Site}")));
        Record(c.Id, Laterality.Add(e.Findings.Select(f => $"{f.Site}/{f.Side}"), parsed.Findings.Select(f => $"{f.Site}/{f.Laterality}")));
        Record(c.Id, Assertion.Add(e.Findings.Select(f => $"{f.Site}/{f.Side}/{f.Assertion}"), parsed.Findings.Select(f => $"{f.Site}/{f.Laterality}/{f.Assertion}")));
        Record(c.Id, Observation.Add(e.Findings.Select(f => $"{f.Site}:{f.Observation}"), parsed.Findings.Select(f => $"{f.Site}:{f.Observation}")));
        Record(c.Id, Interpretation.Add(
            e.Findings.Where(f => f.Interpretation != Parsing.Interpretation.None).Select(f => $"{f.Site}:{f.Interpretation}"),
            parsed.Findings.Where(f => f.Interpretation != Parsing.Interpretation.None).Select(f => $"{f.Site}:{f.Interpretation}")));
        Record(c.Id, Detail.Add(
            e.Findings.SelectMany(f => Details(f.Site, f.Side, f.Levels ?? [], f.Ribs ?? [])),
            parsed.Findings.SelectMany(f => Details(f.Site, f.Laterality, f.Levels, f.RibNumbers))));

        if (!Impression.Add(e.Impression.ToString(), parsed.Impression.Category.ToString()))
            Errors.Add($"{c.Id} impression: expected {e.Impression}, got {parsed.Impression.Category}");

        Record(c.Id, ComparisonPresence.Add(e.Comparison is null ? [] : ["compared"], parsed.Comparison is null ? [] : ["compared"]));
        if (e.Comparison is not null)
        {
            var got = parsed.Comparison?.Change.ToString() ?? "none";
            if (!ComparisonChange.Add(e.Comparison.Change.ToString(), got))
                Errors.Add($"{c.Id} comparison: expected {e.Comparison.Change}, got {got}");
        }
        Record(c.Id, ComparisonDate.Add(e.Comparison?.Date is { } d ? [d] : [], parsed.Comparison?.PriorDate is { } p ? [p] : []));
        Record(c.Id, Recommendations.Add(e.Recommendations,
            parsed.Recommendations.Select(r => r.Modality != Modality.None ? r.Modality.ToString() : r.Kind.ToString())));
    }

    public IEnumerable<FieldScore> SetFields =>
        [Sites, Laterality, Assertion, Observation, Interpretation, Detail, ComparisonPresence, ComparisonDate, Recommendations];

    public string ToMarkdown(string title)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"#### {title} ({Reports} reports)");
        sb.AppendLine();
        sb.AppendLine("| field | precision | recall | F1 | TP | FP | FN |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var f in SetFields)
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {f.Field} | {f.Precision:0.000} | {f.Recall:0.000} | {f.F1:0.000} | {f.TruePositives} | {f.FalsePositives} | {f.FalseNegatives} |");
        sb.AppendLine();
        sb.AppendLine("| field | accuracy | correct / total |");
        sb.AppendLine("|---|---|---|");
        foreach (var a in new[] { Impression, ComparisonChange })
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {a.Field} | {a.Accuracy:0.000} | {a.Correct} / {a.Total} |");
        return sb.ToString();
    }

    private void Record(string id, (IReadOnlyList<string> Missed, IReadOnlyList<string> Invented) diff)
    {
        if (diff.Missed.Count > 0) Errors.Add($"{id} missed: {string.Join(", ", diff.Missed)}");
        if (diff.Invented.Count > 0) Errors.Add($"{id} invented: {string.Join(", ", diff.Invented)}");
    }

    private static IEnumerable<string> Details(SkeletalSite site, Parsing.Laterality side, IEnumerable<string> levels, IEnumerable<int> ribs) =>
        levels.Select(l => $"{site}/{l}").Concat(ribs.Select(r => $"{site}/{side}/rib{r}"));
}
