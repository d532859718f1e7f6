using System.Text.RegularExpressions;
using Halflife.Reporting.Parsing.Text;

namespace Halflife.Reporting.Parsing.Extraction;

/// <summary>
/// Recommendations: a sentence asks for something when it has a trigger ("recommend", "권유", "요망",
/// "correlation", "→"), a follow-up or clinical-correlation phrase, or sits in a RECOMMENDATION section.
/// Each imaging test named there becomes one recommendation; otherwise the kind of request does. A test
/// named as the prior ("compared with the prior MRI") or under a negation ("no further evaluation is
/// needed") is not a recommendation.
/// </summary>
internal static class RecommendationExtractor
{
    private static readonly HashSet<string> Modalities = ["Mri", "Ct", "Radiograph", "Spect", "Pet", "BoneScan"];
    private static readonly HashSet<string> StrongTriggers =
        ["recommend", "recommended", "recommends", "recommendation", "advise", "advised", "권유", "권장", "요망", "추천", "권고"];

    private static readonly Regex Interval = new(
        @"(?:in|after|within)\s+(?<n>\d+|one|two|three|four|six|several|a few)\s*(?:-\s*\d+\s*)?(?<u>months?|mos?|weeks?|wks?|years?|yrs?)(?![a-z])" +
        @"|(?<n>\d+)\s*(?:[-~]\s*\d+\s*)?(?<u>개월|주|년)\s*(?:후|뒤|내|이내)?",
        RegexOptions.CultureInvariant);

    public static IReadOnlyList<Recommendation> Extract(MappedText text, IReadOnlyList<SentenceAnalysis> sentences)
    {
        var value = text.Value;
        var result = new List<Recommendation>();
        foreach (var s in sentences.Where(s => s.DescribesStudy))
        {
            var live = s.Recommendation.Where(r => s.Assertions.Evaluate(r.Start).Assertion != Assertion.Negated).ToList();
            var requests = live.Where(r => !Modalities.Contains(r.Key)).ToList();
            if (requests.Count == 0 && s.Section != SectionKind.Recommendation) continue;

            var interval = Interval.Match(value[s.Start..s.End]) is { Success: true } m ? text.Cased.Substring(s.Start + m.Index, m.Length).Trim() : null;
            var followUp = requests.Any(r => r.Key == "FollowUp");
            var added = 0;
            foreach (var modality in live.Where(r => Modalities.Contains(r.Key)))
            {
                if (NamesPriorStudy(s, modality)) continue;
                var clause = s.ClauseAt(modality.Start);
                var site = s.Sites.FirstOrDefault(x => clause.Contains(x.Start))?.Sites[0];
                result.Add(new Recommendation(
                    followUp || modality.Key == "BoneScan" ? RecommendationKind.FollowUp : RecommendationKind.Imaging,
                    Enum.Parse<Modality>(modality.Key), site, interval, text.ToSpan(s.Start, s.End)));
                added++;
            }
            if (requests.Any(r => r.Key == "ClinicalCorrelation"))
                result.Add(new Recommendation(RecommendationKind.ClinicalCorrelation, Modality.None, null, null, text.ToSpan(s.Start, s.End)));
            if (requests.Any(r => r.Key == "Biopsy"))
                result.Add(new Recommendation(RecommendationKind.Biopsy, Modality.None, null, null, text.ToSpan(s.Start, s.End)));
            // "추적 검사 또는 MRI": a follow-up not tied to a named test is a request of its own.
            var looseFollowUp = requests.Any(r => r.Key == "FollowUp" && !live.Any(m => Modalities.Contains(m.Key) && TiedTo(value, r, m)));
            if (added > 0 && looseFollowUp)
                result.Add(new Recommendation(RecommendationKind.FollowUp, Modality.None, null, interval, text.ToSpan(s.Start, s.End)));
            if (added > 0 || requests.Any(r => r.Key is "ClinicalCorrelation" or "Biopsy")) continue;

            if (followUp)
                result.Add(new Recommendation(RecommendationKind.FollowUp, Modality.None, null, interval, text.ToSpan(s.Start, s.End)));
            else if (requests.Any(r => r.Key == "Trigger" && value[r.Start..r.End].StartsWith("correlat", StringComparison.Ordinal)))
                result.Add(new Recommendation(RecommendationKind.ClinicalCorrelation, Modality.None, null, null, text.ToSpan(s.Start, s.End)));
            else if (requests.Any(r => r.Key == "Trigger" && IsStrong(value[r.Start..r.End])))
                result.Add(new Recommendation(RecommendationKind.FurtherEvaluation, Modality.None, null, null, text.ToSpan(s.Start, s.End)));
        }
        return result
            .GroupBy(r => (r.Kind, r.Modality))
            .Select(g => g.First())
            .ToList();
    }

    private static bool TiedTo(string value, Mention followUp, Mention modality)
    {
        var (first, second) = followUp.Start < modality.Start ? (followUp, modality) : (modality, followUp);
        return second.Start >= first.End && second.Start - first.End <= 3 && value[first.End..second.Start].Trim().Length == 0;
    }

    private static bool IsStrong(string trigger) =>
        StrongTriggers.Any(trigger.Contains) || trigger.StartsWith("further", StringComparison.Ordinal)
        || trigger.Contains("추가") || trigger.Contains("정밀");

    private static bool NamesPriorStudy(SentenceAnalysis s, Mention modality)
    {
        var clause = s.ClauseAt(modality.Start);
        return s.Comparison.Any(c => c.Key == "Anchor" && clause.Contains(c.Start) && c.End <= modality.Start && modality.Start - c.End < 30)
            && !s.Recommendation.Any(r => r.Key is "FollowUp" && clause.Contains(r.Start));
    }
}
