using System.Text.RegularExpressions;
using Halflife.Reporting.Parsing.Lexicon;

namespace Halflife.Reporting.Parsing.Text;

/// <summary>
/// Corrects one-keystroke misspellings of the words the parser depends on ("increaed", "metastatsis",
/// "fracure"), which radiologists dictating quickly do make. Only words of six or more letters that are
/// not themselves known are touched, only towards a single unambiguous lexicon word with the same first
/// letter, within one edit (two for words of nine letters or more). Korean is left alone.
/// </summary>
internal static class TypoCorrector
{
    private static readonly Regex Word = new("[A-Za-z]{6,}", RegexOptions.CultureInvariant);

    // Ordinary report words that are one edit away from a lexicon word but mean something else.
    private static readonly string[] CommonWords =
    [
        "internal", "external", "anterior", "posterior", "inferior", "superior", "lateral", "medial", "bilateral",
        "patient", "injection", "injected", "images", "imaging", "obtained", "performed", "reported", "reveals",
        "revealed", "demonstrates", "demonstrated", "showed", "shows", "multiple", "diffuse", "diffusely", "mildly",
        "moderate", "moderately", "markedly", "focally", "linear", "segmental", "portion", "aspect", "region",
        "regions", "intensity", "extent", "number", "kidneys", "kidney", "bladder", "urinary", "excretion",
        "symmetric", "symmetrical", "asymmetric", "physiologic", "noted", "visualized", "kidneys", "history",
        "cancer", "carcinoma", "prostate", "breast", "lung", "status", "please", "recent", "clinical", "clinically",
        "increase", "decrease", "increasing", "decreasing", "changes", "change", "changed", "compare", "comparing",
        "remains", "remained", "appears", "appear", "within", "scanning", "delayed", "whole", "regional", "soft",
        "tissue", "tissues", "calcification", "injection", "infiltration", "extravasation", "contamination",
        "attenuation", "artifact", "artifacts", "expected", "likely", "unlikely", "related", "relating", "favoring",
        "lesion", "lesions", "finding", "findings", "additional", "further", "consistent", "compatible", "suggest",
        "suggests", "suggested", "suggesting", "represent", "represents", "representing", "involving", "involvement",
        "ribs", "spine", "spines", "rather", "reason", "season", "treatment", "therapy", "chemotherapy", "radiation",
        "radiotherapy", "hormone", "marrow", "ossification", "heterotopic", "activity", "activities", "persistent",
        "interval", "intervals", "previous", "previously", "prior", "evident", "evidence", "possible", "possibly",
        "probable", "probably", "degenerated", "fractures", "fractured", "fracture", "uptakes", "metastasis",
        "metastases", "metastatic", "pattern", "patterns", "healing", "healed", "recommend", "recommended",
    ];

    // Side words live in SiteMatcher's patterns rather than a lexicon file but are misspelled all the same.
    private static readonly string[] SideWords = ["bilateral", "bilaterally", "anterior", "posterior", "lateral", "medial", "proximal", "distal"];

    private static readonly Lazy<(HashSet<string> Known, string[] Targets)> Vocabulary = new(BuildVocabulary);

    public static MappedText Correct(MappedText text)
    {
        var (known, targets) = Vocabulary.Value;
        var edits = new List<(int, int, string)>();
        foreach (Match m in Word.Matches(text.Cased))
        {
            var lower = m.Value.ToLowerInvariant();
            if (known.Contains(lower)) continue;
            var best = BestTarget(lower, targets);
            if (best is null) continue;
            var replacement = char.IsUpper(m.Value[0]) ? char.ToUpperInvariant(best[0]) + best[1..] : best;
            edits.Add((m.Index, m.Index + m.Length, replacement));
        }
        return edits.Count == 0 ? text : text.Rewrite(edits);
    }

    private static string? BestTarget(string word, string[] targets)
    {
        var allowed = word.Length >= 9 ? 2 : 1;
        string? best = null;
        var bestDistance = int.MaxValue;
        var ambiguous = false;
        foreach (var target in targets)
        {
            if (target[0] != word[0] || Math.Abs(target.Length - word.Length) > allowed) continue;
            var d = EditDistance.Compute(word, target, allowed);
            if (d > allowed) continue;
            if (d < bestDistance) { best = target; bestDistance = d; ambiguous = false; }
            else if (d == bestDistance && target != best) ambiguous = true;
        }
        return ambiguous ? null : best;
    }

    private static (HashSet<string>, string[]) BuildVocabulary()
    {
        var lexiconWords = Vocabularies.All
            .SelectMany(t => t.Entries)
            .SelectMany(e => e.Terms)
            .Where(t => !t.StartsWith("re:", StringComparison.Ordinal))
            .SelectMany(t => Regex.Split(t.ToLowerInvariant(), "[^a-z]+"))
            .Where(w => w.Length >= 5)
            .ToHashSet(StringComparer.Ordinal);
        var known = new HashSet<string>(lexiconWords, StringComparer.Ordinal);
        known.UnionWith(CommonWords);
        var targets = lexiconWords.Concat(SideWords).Where(w => w.Length >= 6).Distinct().OrderBy(w => w, StringComparer.Ordinal).ToArray();
        return (known, targets);
    }
}
