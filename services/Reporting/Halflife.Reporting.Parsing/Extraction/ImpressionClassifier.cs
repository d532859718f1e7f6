using Halflife.Reporting.Parsing.Text;

namespace Halflife.Reporting.Parsing.Extraction;

/// <summary>
/// One headline category for the report, read from the IMPRESSION/CONCLUSION/결론 sections when present,
/// otherwise from all sentences about the study. Metastatic status dominates because it is what a bone
/// scan is usually ordered for: any asserted or probable metastasis gives Metastasis; a hedged one ("r/o",
/// "의심", "cannot exclude") or a hedged finding without a diagnosis gives Equivocal. Otherwise the first
/// category the reader states wins (readers list the most important conclusion first), and a plain
/// abnormal finding without a diagnosis counts only when nothing else is said.
/// </summary>
internal static class ImpressionClassifier
{
    public static Impression Classify(MappedText text, IReadOnlyList<SentenceAnalysis> sentences, IReadOnlyList<Finding> findings)
    {
        var scope = sentences.Where(s => s.Section == SectionKind.Impression).ToList();
        if (scope.Count == 0) scope = sentences.Where(s => s.DescribesStudy).ToList();

        var stated = new List<ImpressionCategory>();
        var weak = new List<ImpressionCategory>();
        var evidence = new List<TextSpan>();
        var metastasis = false;
        var equivocal = false;

        foreach (var s in scope)
        {
            var before = stated.Count + weak.Count;
            var sentenceFindings = findings.Where(f => f.Sentence.Start == text.ToSourceIndex(s.Start)).ToList();
            foreach (var diagnosis in s.Interpretations)
            {
                var result = s.Assertions.Evaluate(diagnosis.Start);
                var kind = Enum.Parse<Interpretation>(diagnosis.Key);
                if (kind == Interpretation.Metastasis)
                {
                    switch (result.Assertion)
                    {
                        case Assertion.Negated: stated.Add(ImpressionCategory.NoMetastasis); break;
                        case Assertion.Uncertain when !result.Probable: equivocal = true; stated.Add(ImpressionCategory.Equivocal); break;
                        default: metastasis = true; stated.Add(ImpressionCategory.Metastasis); break;
                    }
                }
                else if (result.Assertion != Assertion.Negated)
                {
                    stated.Add(kind switch
                    {
                        Interpretation.Fracture => ImpressionCategory.Fracture,
                        Interpretation.Degenerative => ImpressionCategory.Degenerative,
                        _ => ImpressionCategory.Other,
                    });
                }
            }
            foreach (var f in sentenceFindings.Where(f => f.Interpretation == Interpretation.None && f.Assertion != Assertion.Negated))
            {
                if (f.Assertion == Assertion.Uncertain) { equivocal = true; stated.Add(ImpressionCategory.Equivocal); }
                else weak.Add(ImpressionCategory.Other);
            }
            var saysNormal = s.Cues.Any(c => c.Key == "NormalStudy" && s.Assertions.Evaluate(c.Start).Assertion != Assertion.Uncertain)
                && !sentenceFindings.Any(f => f.Assertion != Assertion.Negated);
            if (saysNormal && !s.Interpretations.Any()) stated.Add(ImpressionCategory.NoMetastasis);
            if (stated.Count + weak.Count > before) evidence.Add(text.ToSpan(s.Start, s.End));
        }

        var categories = stated.Concat(weak).Distinct().ToList();
        ImpressionCategory category;
        if (metastasis) category = ImpressionCategory.Metastasis;
        else if (equivocal) category = ImpressionCategory.Equivocal;
        else if (stated.Count > 0) category = stated[0];
        else if (weak.Count > 0) category = weak[0];
        else category = ImpressionCategory.Other;
        if (categories.Count == 0) categories.Add(category);
        return new Impression(category, categories, evidence);
    }
}
