using Halflife.Reporting.Parsing.Text;

namespace Halflife.Reporting.Parsing.Extraction;

/// <summary>
/// Comparison with a prior study: whether the report compares at all, the prior's date, and the change
/// (stable / improved / progressed / new). Generic "increased"/"감소" count as change only in a sentence
/// that names the prior ("이전 검사에 비해 섭취 감소"), because elsewhere they describe uptake.
/// A denied change ("no new lesion", "no progression") means stable.
/// </summary>
internal static class ComparisonExtractor
{
    private static readonly string[] ChangeKeys = ["Stable", "Improved", "Progressed", "New", "GenericStable", "GenericUp", "GenericDown"];

    public static Comparison? Extract(MappedText text, IReadOnlyList<SentenceAnalysis> sentences)
    {
        var changes = new List<ComparisonChange>();
        var evidence = new List<TextSpan>();
        (string Iso, int Start, int End)? date = null;
        var compared = false;
        var noPrior = false;

        foreach (var s in sentences.Where(s => s.DescribesStudy))
        {
            var anchor = s.Comparison.FirstOrDefault(c => c.Key == "Anchor");
            var inComparisonSection = s.Section == SectionKind.Comparison;
            var relevant = inComparisonSection || anchor is not null || s.Comparison.Any(c => c.Key is "Stable" or "Improved" or "Progressed" or "New" or "NoPrior");
            if (!relevant) continue;

            var sentenceChanges = new List<ComparisonChange>();
            foreach (var cue in s.Comparison.Where(c => ChangeKeys.Contains(c.Key)))
            {
                if (cue.Key is "GenericUp" or "GenericDown" or "GenericStable")
                {
                    if (anchor is null && !inComparisonSection) continue;
                    // "Increased uptake in L4 compared with prior" describes uptake; "compared with prior, increased" is change.
                    var partOfSign = s.Observations.Any(o => o.Start <= cue.Start && cue.End <= o.End);
                    if (partOfSign && (anchor is null || cue.Start < anchor.Start)) continue;
                }
                var change = cue.Key switch
                {
                    "Stable" or "GenericStable" => ComparisonChange.Stable,
                    "Improved" or "GenericDown" => ComparisonChange.Improved,
                    "Progressed" or "GenericUp" => ComparisonChange.Progressed,
                    _ => ComparisonChange.New,
                };
                if (change != ComparisonChange.Stable && s.Assertions.Evaluate(cue.Start).Assertion == Assertion.Negated)
                    change = ComparisonChange.Stable;
                sentenceChanges.Add(change);
                evidence.Add(text.ToSpan(cue.Start, cue.End));
            }
            if (s.Comparison.Any(c => c.Key == "NoPrior")) noPrior = true;
            else compared = true;
            changes.AddRange(sentenceChanges);
            if (anchor is not null && sentenceChanges.Count == 0) evidence.Add(text.ToSpan(anchor.Start, anchor.End));
            if (date is null && (anchor is not null || inComparisonSection))
                date = PriorBoneScanDate(text.Value, s);
        }

        if (!compared && !noPrior) return null;
        var distinct = changes.Distinct().ToList();
        var overall = Summarise(distinct, compared, noPrior);
        return new Comparison(
            overall,
            distinct,
            date?.Iso,
            date is { } d ? text.ToSpan(d.Start, d.End) : null,
            evidence);
    }

    // "Comparison: PET/CT 2/14/2024 and bone scan 8/30/2023": a bone scan is compared with a bone scan.
    private static (string Iso, int Start, int End)? PriorBoneScanDate(string value, SentenceAnalysis s)
    {
        var first = DateParser.FindFirst(value, s.Start, s.End);
        var boneScan = s.Recommendation.FirstOrDefault(r => r.Key == "BoneScan");
        if (first is null || boneScan is null || boneScan.End <= first.Value.Start) return first;
        return DateParser.FindFirst(value, boneScan.End, s.End) is { } after && after.Start - boneScan.End <= 12 ? after : first;
    }

    private static ComparisonChange Summarise(List<ComparisonChange> changes, bool compared, bool noPrior)
    {
        var improved = changes.Contains(ComparisonChange.Improved);
        var worse = changes.Contains(ComparisonChange.Progressed) || changes.Contains(ComparisonChange.New);
        if (improved && worse) return ComparisonChange.Mixed;
        if (changes.Contains(ComparisonChange.Progressed)) return ComparisonChange.Progressed;
        if (changes.Contains(ComparisonChange.New)) return ComparisonChange.New;
        if (improved) return ComparisonChange.Improved;
        if (changes.Contains(ComparisonChange.Stable)) return ComparisonChange.Stable;
        return noPrior && !compared ? ComparisonChange.NoPrior : ComparisonChange.NotStated;
    }
}
