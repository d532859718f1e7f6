using Halflife.Reporting.Parsing.Lexicon;
using Halflife.Reporting.Parsing.Text;

namespace Halflife.Reporting.Parsing.Extraction;

/// <summary>Everything the extractors need to know about one sentence, computed once.</summary>
internal sealed class SentenceAnalysis
{
    public required SentenceRange Range { get; init; }
    public required int SectionIndex { get; init; }
    public required IReadOnlyList<Clause> Clauses { get; init; }
    public required IReadOnlyList<SiteMention> Sites { get; init; }
    public required IReadOnlyList<Mention> Observations { get; init; }
    public required IReadOnlyList<Mention> Interpretations { get; init; }
    public required IReadOnlyList<Mention> Cues { get; init; }
    public required IReadOnlyList<Mention> Comparison { get; init; }
    public required IReadOnlyList<Mention> Recommendation { get; init; }
    public required AssertionDetector Assertions { get; init; }

    public SectionKind Section => Range.Section;
    public int Start => Range.Start;
    public int End => Range.End;

    /// <summary>Sections whose sentences describe this study (not the referral question or the protocol).</summary>
    public bool DescribesStudy => Section is not (SectionKind.History or SectionKind.Technique);

    public Clause ClauseAt(int position) => Clauses.FirstOrDefault(c => c.Contains(position)) ?? Clauses[^1];

}

/// <summary>Runs every lexicon over the whole text once and cuts the result into per-sentence analyses.</summary>
internal static class SentenceAnalyzer
{
    public static IReadOnlyList<SentenceAnalysis> Analyze(MappedText text, IReadOnlyList<SectionRange> sections)
    {
        var value = text.Value;
        var interpretations = MentionScanner.Scan(value, Vocabularies.Interpretations, MentionLayer.Interpretation);
        // "관절" inside "관절염" is part of the diagnosis, unless the whole diagnosis names the site ("sacroiliitis").
        var sites = SiteMatcher.Find(value)
            .Where(s => !interpretations.Any(i => i.Start <= s.Start && s.End <= i.End && (i.Start != s.Start || i.End != s.End)))
            .ToList();
        var diagnosisNamedSites = sites.Where(s => interpretations.Any(i => i.Start == s.Start && i.End == s.End)).ToList();
        // A sign inside a diagnosis ("lesion" in "metastatic lesion") is part of the diagnosis.
        var observations = MentionScanner.Scan(value, Vocabularies.Observations, MentionLayer.Observation)
            .Where(o => !interpretations.Any(i => i.Contains(o)) && !sites.Any(s => s.Start <= o.Start && o.End <= s.End))
            .ToList();
        var cues = MentionScanner.Scan(value, Vocabularies.Cues, MentionLayer.Cue)
            .Where(c => !sites.Any(s => s.Start < c.End && c.Start < s.End)) // a cue word inside a site name is not a cue
            .Concat(MentionScanner.Scan(value, Vocabularies.Normal, MentionLayer.Cue))
            .OrderBy(c => c.Start)
            .ToList();
        var comparison = MentionScanner.Scan(value, Vocabularies.Comparison, MentionLayer.Comparison);
        var recommendation = MentionScanner.Scan(value, Vocabularies.Recommendations, MentionLayer.Recommendation);

        var result = new List<SentenceAnalysis>();
        for (var sectionIndex = 0; sectionIndex < sections.Count; sectionIndex++)
        {
            foreach (var sentence in SentenceSplitter.Split(text, sections[sectionIndex]))
            {
                List<Mention> In(IEnumerable<Mention> all) => all.Where(m => m.Start >= sentence.Start && m.Start < sentence.End).ToList();
                var inSentence = sites.Where(s => s.Start >= sentence.Start && s.End <= sentence.End).ToList();
                // "B/L SIJ, likely sacroiliitis": the diagnosis only names a site when the sentence does not.
                inSentence.RemoveAll(s => diagnosisNamedSites.Contains(s)
                    && inSentence.Any(o => !diagnosisNamedSites.Contains(o) && o.Sites.Intersect(s.Sites).Any()));
                var sentenceSites = SiteLabels.Drop(value, SpineMentionMerger.Merge(value, inSentence));
                var sentenceObservations = In(observations);
                // "다발성 골전이 병변" / "metastatic deposit lesions": the lesion word belongs to the diagnosis before it.
                sentenceObservations.RemoveAll(o => o.Key == "AbnormalUptake"
                    && interpretations.Any(i => i.End <= o.Start && o.Start - i.End <= 2 && value[i.End..o.Start].Trim().Length == 0));
                // "이전 검사에 비해 섭취가 감소" / "decreased uptake compared with prior": a change, not a cold lesion.
                if (comparison.Any(c => c.Key == "Anchor" && c.Start >= sentence.Start && c.Start < sentence.End))
                    sentenceObservations.RemoveAll(o => o.Key == "DecreasedUptake" && IsComparativeDecrease(value[o.Start..o.End]));
                var sentenceInterpretations = In(interpretations);
                var sentenceCues = In(cues);
                var sentenceComparison = In(comparison);
                var sentenceRecommendation = In(recommendation);
                var content = sentenceObservations.Concat(sentenceInterpretations)
                    .Concat(sentenceCues.Where(c => !c.Key.StartsWith("Termination", StringComparison.Ordinal) && !c.Key.StartsWith("Exception", StringComparison.Ordinal)))
                    .Concat(sentenceComparison.Where(c => c.Key != "Anchor"))
                    .Concat(sentenceRecommendation)
                    .ToList();
                // A hedge alone after a comma ("uptake in Lt. 4th rib, indeterminate") qualifies what precedes it,
                // so it does not open a clause of its own.
                var opensClause = content.Where(m => m.Layer != MentionLayer.Cue || m.Key.Contains("Negation") || m.Key == "NormalStudy" || m.Key == "PostNormal").ToList();
                var clauses = ClauseSplitter.Split(value, sentence.Start, sentence.End, content, opensClause, sentenceCues, sentenceSites);
                var signsAndDiagnoses = sentenceObservations.Concat(sentenceInterpretations).ToList();
                result.Add(new SentenceAnalysis
                {
                    Range = sentence,
                    SectionIndex = sectionIndex,
                    Clauses = clauses,
                    Sites = sentenceSites,
                    Observations = sentenceObservations,
                    Interpretations = sentenceInterpretations,
                    Cues = sentenceCues,
                    Comparison = sentenceComparison,
                    Recommendation = sentenceRecommendation,
                    Assertions = new AssertionDetector(clauses, sentenceCues, signsAndDiagnoses, sentenceObservations, sentenceSites),
                });
            }
        }
        return result;
    }

    private static bool IsComparativeDecrease(string term) =>
        term.Contains("감소") || term.Contains("decreas") || term.Contains("reduc") || term.Contains("diminish");
}
