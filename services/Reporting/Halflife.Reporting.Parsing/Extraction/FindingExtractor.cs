using System.Text.RegularExpressions;
using Halflife.Reporting.Parsing.Text;

namespace Halflife.Reporting.Parsing.Extraction;

/// <summary>
/// Turns site mentions into findings: links each site to its sign and diagnosis, distributes sides over
/// lists ("Rt. knee and ankle"), and decides the assertion from the cues whose scope reaches the site,
/// its sign or its diagnosis. A hedged diagnosis makes the finding uncertain ("uptake in L4, r/o mets"):
/// the uptake is certain, what it is is not, and that is what a reader of the structured report needs.
/// </summary>
internal static class FindingExtractor
{
    private static readonly Regex EnglishPreposition = new(
        @"(?:\bin|\bat|\bof|\bon|\binvolving|\bwithin|\balong|\bover|\binto|\bthroughout|\bat\s+the|\bin\s+the|\bof\s+the|\bboth)\s*$",
        RegexOptions.CultureInvariant);
    private static readonly Regex KoreanParticle = new(@"^(?:에서|에는|에도|에|의|은|는|이|가|도|를|을|쪽|부위에|부위의)", RegexOptions.CultureInvariant);
    private static readonly Regex ListGlue = new(@"^\s*(?:,|and|or|&|/|및|과|와|,\s*and|,\s*or|,\s*및)?\s*$", RegexOptions.CultureInvariant);
    private static readonly Regex ModalityGlue = new(@"^\s*(?:of\s+(?:the\s+)?|for\s+(?:the\s+)?)?$", RegexOptions.CultureInvariant);

    private static readonly HashSet<string> Modalities = ["Mri", "Ct", "Radiograph", "Spect", "Pet", "BoneScan"];

    public static IReadOnlyList<Finding> Extract(MappedText text, IReadOnlyList<SentenceAnalysis> sentences)
    {
        var findings = new List<Finding>();
        List<(Finding Finding, int Index)>? previous = null;
        SentenceAnalysis? previousSentence = null;
        foreach (var s in sentences.Where(s => s.DescribesStudy))
        {
            var current = ExtractSentence(text, s);
            if (current.Count == 0 && previous is { Count: > 0 } && previousSentence?.SectionIndex == s.SectionIndex)
                AttachFollowingDiagnosis(text, s, previous, findings);
            foreach (var f in current) findings.Add(f);
            previous = current.Select((f, i) => (f, findings.Count - current.Count + i)).ToList();
            previousSentence = s;
        }
        return findings;
    }

    // "Focal uptake in the Rt. 6th rib. Probable fracture." — the second sentence names no site, so its
    // diagnosis belongs to the findings just stated; a negated one ("No evidence of metastasis.") does not.
    private static void AttachFollowingDiagnosis(MappedText text, SentenceAnalysis s, List<(Finding Finding, int Index)> previous, List<Finding> findings)
    {
        var diagnosis = s.Interpretations.FirstOrDefault(i => s.Assertions.Evaluate(i.Start).Assertion != Assertion.Negated);
        if (diagnosis is null || s.Sites.Count > 0) return;
        var result = s.Assertions.Evaluate(diagnosis.Start);
        foreach (var (finding, index) in previous)
        {
            if (finding.Interpretation != Interpretation.None || finding.Assertion == Assertion.Negated) continue;
            var uncertain = result.Assertion == Assertion.Uncertain || finding.Assertion == Assertion.Uncertain;
            findings[index] = finding with
            {
                Interpretation = Enum.Parse<Interpretation>(diagnosis.Key),
                InterpretationSpan = text.ToSpan(diagnosis.Start, diagnosis.End),
                Assertion = uncertain ? Assertion.Uncertain : Assertion.Present,
                CueSpan = finding.CueSpan ?? (result.Cue is { } c ? text.ToSpan(c.Start, c.End) : null),
            };
        }
    }

    private static List<Finding> ExtractSentence(MappedText text, SentenceAnalysis s)
    {
        var value = text.Value;
        var result = new List<Finding>();
        var groups = Groups(value, s.Sites);
        var sidesNamed = SidesNamedInSentence(s.Sites);
        foreach (var group in groups)
        {
            var inherited = Laterality.None;
            foreach (var site in group)
            {
                var laterality = site.Laterality;
                if (laterality != Laterality.None) inherited = laterality;
                else if (inherited != Laterality.None && site.Sites.Any(SiteRules.InheritsLaterality) && IsBare(value, site))
                    laterality = inherited;
                else if (site.Sites.Count == 1 && sidesNamed.TryGetValue(site.Sites[0], out var named) && site.Sites.Any(SiteRules.InheritsLaterality))
                    laterality = named; // "right 4th-7th ribs ..., typical of traumatic rib fractures": the same ribs
                else if (site.Sites.Count == 1 && SiteRules.IsPelvicPart(site.Sites[0]) && sidesNamed.TryGetValue(SkeletalSite.Pelvis, out var whole))
                    laterality = whole; // "right hemipelvis involving the ilium and acetabulum"

                var clause = s.ClauseAt(site.Start);
                if (IsRecommendationTarget(value, s, clause, site)) continue;

                var observation = PickObservation(value, s, clause, group);
                var interpretation = PickInterpretation(s, clause, site);
                var siteResult = s.Assertions.Evaluate(site.Start, ignoreNegation: clause.IsException);
                var observationResult = observation is not null && clause.Contains(observation.Start)
                    ? s.Assertions.Evaluate(observation.Start, ignoreNegation: clause.IsException) : AssertionResult.Present;
                var interpretationResult = interpretation is not null
                    ? s.Assertions.Evaluate(interpretation.Start, ignoreNegation: clause.IsException) : AssertionResult.Present;

                var (assertion, cue) = Combine(siteResult, observationResult, interpretationResult);
                if (observation is null && interpretation is null && siteResult.Assertion == Assertion.Present) continue;

                foreach (var skeletalSite in site.Sites)
                {
                    var siteLaterality = SiteRules.CanBeLateral(skeletalSite) ? laterality : Laterality.None;
                    result.Add(new Finding(
                        skeletalSite,
                        siteLaterality,
                        site.Levels.Where(l => SpineLevels.SiteOf(l) == skeletalSite).ToList(),
                        skeletalSite == SkeletalSite.Rib ? site.RibNumbers : [],
                        observation is null ? Observation.Unspecified : Enum.Parse<Observation>(observation.Key),
                        interpretation is null ? Interpretation.None : Enum.Parse<Interpretation>(interpretation.Key),
                        assertion,
                        s.Section,
                        text.ToSpan(site.PhraseStart, site.End),
                        observation is null ? null : text.ToSpan(observation.Start, observation.End),
                        interpretation is null ? null : text.ToSpan(interpretation.Start, interpretation.End),
                        cue is null ? null : text.ToSpan(cue.Start, cue.End),
                        text.ToSpan(s.Start, s.End)));
                }
            }
        }
        return result;
    }

    // Sites the sentence names with exactly one side; a sideless mention of the same site refers back to it.
    private static Dictionary<SkeletalSite, Laterality> SidesNamedInSentence(IReadOnlyList<SiteMention> sites) =>
        sites.Where(s => s.Laterality != Laterality.None && s.Sites.Count == 1)
            .GroupBy(s => s.Sites[0])
            .Where(g => g.Select(s => s.Laterality).Distinct().Count() == 1)
            .ToDictionary(g => g.Key, g => g.First().Laterality);

    // Only a bare noun or numbers take the side of the previous site: "Rt. knee and ankle", "Rt. 6th and 7th rib";
    // "both femurs and multiple ribs" says nothing about the ribs' side.
    private static bool IsBare(string value, SiteMention site) =>
        Regex.IsMatch(value[site.PhraseStart..site.Start], @"^[\s\d,~\-]*(?:st|nd|rd|th|번째|번)?[\s,]*$");

    private static (Assertion, Mention?) Combine(AssertionResult site, AssertionResult observation, AssertionResult interpretation)
    {
        if (site.Assertion == Assertion.Negated) return (Assertion.Negated, site.Cue);
        if (observation.Assertion == Assertion.Negated) return (Assertion.Negated, observation.Cue);
        foreach (var r in new[] { site, observation, interpretation })
            if (r.Assertion == Assertion.Uncertain) return (Assertion.Uncertain, r.Cue);
        return (Assertion.Present, null);
    }

    // Sites joined by commas or "and" share a sign and inherit a side: "increased uptake in Rt. knee and ankle".
    private static List<List<SiteMention>> Groups(string value, IReadOnlyList<SiteMention> sites)
    {
        var groups = new List<List<SiteMention>>();
        foreach (var site in sites.OrderBy(s => s.Start))
        {
            var last = groups.Count > 0 ? groups[^1][^1] : null;
            if (last is not null && site.PhraseStart >= last.End && ListGlue.IsMatch(value[last.End..site.PhraseStart]))
                groups[^1].Add(site);
            else
                groups.Add([site]);
        }
        return groups;
    }

    private static Mention? PickObservation(string value, SentenceAnalysis s, Clause clause, List<SiteMention> group)
    {
        var candidates = s.Observations.Where(o => clause.Contains(o.Start)).ToList();
        if (candidates.Count == 0 && clause.IsException)
            candidates = s.Observations.ToList(); // "no abnormal uptake except in the Rt. knee": the sign is outside
        if (candidates.Count == 0) return null;
        var first = group[0];
        var last = group[^1];
        var before = candidates.Where(o => o.End <= first.PhraseStart).OrderByDescending(o => o.End).FirstOrDefault();
        var after = candidates.Where(o => o.Start >= last.End).OrderBy(o => o.Start).FirstOrDefault();
        var inside = candidates.FirstOrDefault(o => o.Start >= first.PhraseStart && o.End <= last.End);
        if (inside is not null) return inside;
        if (before is not null && EnglishPreposition.IsMatch(value[Math.Max(clause.Start, before.End)..first.PhraseStart]))
            return before;
        if (after is not null && KoreanParticle.IsMatch(value[last.End..Math.Min(value.Length, last.End + 4)].TrimStart()))
            return after;
        if (before is null) return after;
        if (after is null) return before;
        return first.PhraseStart - before.End <= after.Start - last.End ? before : after;
    }

    private static Mention? PickInterpretation(SentenceAnalysis s, Clause clause, SiteMention site)
    {
        var siteNegated = s.Assertions.Evaluate(site.Start).Assertion == Assertion.Negated;
        bool Usable(Mention m) => siteNegated || s.Assertions.Evaluate(m.Start).Assertion != Assertion.Negated;

        var inClause = s.Interpretations.Where(i => clause.Contains(i.Start) && Usable(i))
            .OrderBy(i => Math.Min(Math.Abs(i.Start - site.End), Math.Abs(site.PhraseStart - i.End)))
            .FirstOrDefault();
        if (inClause is not null) return inClause;

        // ", r/o metastasis" / ", 골절 가능성": a clause without a site qualifies the sites before it.
        var siblings = s.Clauses.Where(c => c != clause && !s.Sites.Any(x => c.Contains(x.Start)))
            .OrderBy(c => c.Start < clause.Start ? 1 : 0).ThenBy(c => Math.Abs(c.Start - clause.Start));
        foreach (var sibling in siblings)
        {
            var found = s.Interpretations.FirstOrDefault(i => sibling.Contains(i.Start) && s.Assertions.Evaluate(i.Start).Assertion != Assertion.Negated);
            if (found is not null) return found;
        }
        return null;
    }

    // "Recommend MRI of the L-spine": the site is what to image, not a finding.
    private static bool IsRecommendationTarget(string value, SentenceAnalysis s, Clause clause, SiteMention site)
    {
        var modalities = s.Recommendation.Where(r => Modalities.Contains(r.Key) && clause.Contains(r.Start)).ToList();
        if (modalities.Count == 0) return false;
        var hasSign = s.Observations.Concat(s.Interpretations).Any(m => clause.Contains(m.Start));
        var asksFor = s.Recommendation.Any(r => !Modalities.Contains(r.Key) && clause.Contains(r.Start))
            || s.Comparison.Any(c => c.Key == "Anchor" && clause.Contains(c.Start));
        if (asksFor && !hasSign) return true;
        return modalities.Any(m =>
            (m.Start >= site.End && m.Start - site.End <= 3 && value[site.End..m.Start].Trim().Length == 0)
            || (site.PhraseStart >= m.End && site.PhraseStart - m.End <= 12 && ModalityGlue.IsMatch(value[m.End..site.PhraseStart])));
    }
}
