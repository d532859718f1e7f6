using System.Reflection;
using System.Text.RegularExpressions;

namespace Halflife.Reporting.Parsing.Lexicon;

/// <summary>One row of a lexicon file: a key (a site, a cue kind...) and one regex for all its terms.</summary>
internal sealed record LexiconEntry(string Key, Regex Pattern, IReadOnlyList<string> Terms);

/// <summary>
/// A vocabulary loaded from an embedded TSV file (Lexicon/*.tsv). Each row is "Key TAB term|term|...".
/// Terms of a row are tried longest first; across rows the scanner keeps the longest match.
/// </summary>
internal sealed class LexiconTable
{
    // The regexes run over text of bounded size (ReportParser caps the input), so the timeout only guards
    // against a pathological term slipped into a data file.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    public string Name { get; }
    public IReadOnlyList<LexiconEntry> Entries { get; }

    private LexiconTable(string name, IReadOnlyList<LexiconEntry> entries)
    {
        Name = name;
        Entries = entries;
    }

    public static LexiconTable Parse(string name, string content)
    {
        var entries = new List<LexiconEntry>();
        var lineNumber = 0;
        foreach (var rawLine in content.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var tab = line.IndexOf('\t');
            if (tab <= 0)
                throw new FormatException($"Lexicon '{name}' line {lineNumber}: expected 'Key<TAB>terms'.");
            var key = line[..tab].Trim();
            var terms = SplitTerms(line[(tab + 1)..]);
            if (terms.Count == 0)
                throw new FormatException($"Lexicon '{name}' line {lineNumber}: key '{key}' has no terms.");
            var alternatives = terms
                .OrderByDescending(t => t.Length)
                .Select(t => "(?:" + TermPattern.ToRegex(t.ToLowerInvariant()) + ")");
            var regex = new Regex(string.Join("|", alternatives), RegexOptions.CultureInvariant, MatchTimeout);
            entries.Add(new LexiconEntry(key, regex, terms));
        }
        return new LexiconTable(name, entries);
    }

    // '|' separates terms, except inside the parentheses of a raw regex ("re:(있으며|있고)").
    private static List<string> SplitTerms(string field)
    {
        var terms = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= field.Length; i++)
        {
            if (i < field.Length)
            {
                if (field[i] == '(' && (i == 0 || field[i - 1] != '\\')) depth++;
                else if (field[i] == ')' && (i == 0 || field[i - 1] != '\\')) depth = Math.Max(0, depth - 1);
                if (field[i] != '|' || depth > 0) continue;
            }
            var term = field[start..i].Trim();
            if (term.Length > 0) terms.Add(term);
            start = i + 1;
        }
        return terms;
    }

    public static LexiconTable Load(string name)
    {
        var resource = $"Halflife.Reporting.Parsing.Lexicon.{name}.tsv";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded lexicon '{resource}' is missing from the build.");
        using var reader = new StreamReader(stream);
        return Parse(name, reader.ReadToEnd());
    }
}

/// <summary>All vocabularies, loaded once; immutable afterwards so parsers can share them across threads.</summary>
internal static class Vocabularies
{
    private static readonly Lazy<LexiconTable> SitesTable = new(() => LexiconTable.Load("sites"));
    private static readonly Lazy<LexiconTable> ObservationsTable = new(() => LexiconTable.Load("observations"));
    private static readonly Lazy<LexiconTable> InterpretationsTable = new(() => LexiconTable.Load("interpretations"));
    private static readonly Lazy<LexiconTable> CuesTable = new(() => LexiconTable.Load("cues"));
    private static readonly Lazy<LexiconTable> ComparisonTable = new(() => LexiconTable.Load("comparison"));
    private static readonly Lazy<LexiconTable> RecommendationsTable = new(() => LexiconTable.Load("recommendations"));
    private static readonly Lazy<LexiconTable> SectionsTable = new(() => LexiconTable.Load("sections"));
    private static readonly Lazy<LexiconTable> NormalTable = new(() => LexiconTable.Load("normal"));

    public static LexiconTable Sites => SitesTable.Value;
    public static LexiconTable Observations => ObservationsTable.Value;
    public static LexiconTable Interpretations => InterpretationsTable.Value;
    public static LexiconTable Cues => CuesTable.Value;
    public static LexiconTable Comparison => ComparisonTable.Value;
    public static LexiconTable Recommendations => RecommendationsTable.Value;
    public static LexiconTable Sections => SectionsTable.Value;
    public static LexiconTable Normal => NormalTable.Value;

    public static IEnumerable<LexiconTable> All =>
        [Sites, Observations, Interpretations, Cues, Comparison, Recommendations, Sections, Normal];
}
