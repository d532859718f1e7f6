using System.Text.Json;
using System.Text.Json.Serialization;
using Halflife.Reporting.Parsing;

namespace Halflife.Reporting.Tests.Evaluation;

/// <summary>One finding as the annotator wrote it in NNN.expected.json.</summary>
public sealed record ExpectedFinding(
    SkeletalSite Site,
    Laterality Side,
    Observation Observation,
    Interpretation Interpretation,
    Assertion Assertion,
    int[]? Ribs,
    string[]? Levels);

public sealed record ExpectedComparison(ComparisonChange Change, string? Date);

/// <summary>The annotation of one corpus report. Offsets are not annotated; spans are checked as invariants.</summary>
public sealed record ExpectedReport(
    string Language,
    string Split,
    ExpectedFinding[] Findings,
    ImpressionCategory Impression,
    ExpectedComparison? Comparison,
    string[] Recommendations);

public sealed record CorpusCase(string Id, string Text, ExpectedReport Expected)
{
    public override string ToString() => Id;
}

public static class Corpus
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly Lazy<IReadOnlyList<CorpusCase>> Cases = new(Load);

    public static IReadOnlyList<CorpusCase> All => Cases.Value;

    public static CorpusCase Get(string id) => All.Single(c => c.Id == id);

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Corpus");

    private static IReadOnlyList<CorpusCase> Load()
    {
        var cases = new List<CorpusCase>();
        foreach (var txt in System.IO.Directory.GetFiles(Directory, "*.txt").Order(StringComparer.Ordinal))
        {
            var id = Path.GetFileNameWithoutExtension(txt);
            var expectedPath = Path.Combine(Directory, id + ".expected.json");
            var expected = JsonSerializer.Deserialize<ExpectedReport>(File.ReadAllText(expectedPath), Json)
                ?? throw new InvalidDataException($"{expectedPath} is empty.");
            cases.Add(new CorpusCase(id, File.ReadAllText(txt), expected));
        }
        return cases;
    }
}
