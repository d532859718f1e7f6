using Halflife.Reporting.Parsing;
using Halflife.Reporting.Tests.Evaluation;

namespace Halflife.Reporting.Tests;

/// <summary>
/// Precision and recall of the parser over the hand-annotated corpus (tests/.../Corpus). The development
/// split was written before and while building the parser; the held-out split was written after the
/// parser was finished and is scored separately; after fixing rules it exposed, a second held-out split
/// (heldout2) was written and scored blind again. See docs/reporting.md for the blind numbers.
/// The table is written to reporting-evaluation.md next to the test binaries (and to the path in
/// HALFLIFE_REPORTING_EVAL_OUT when set) to be copied into docs/reporting.md.
/// </summary>
public sealed class CorpusEvaluationTests
{
    [Fact]
    public void Corpus_has_at_least_sixty_annotated_reports_in_each_language_style()
    {
        Assert.True(Corpus.All.Count >= 60, $"only {Corpus.All.Count} reports");
        foreach (var language in new[] { "en", "ko", "mixed" })
            Assert.True(Corpus.All.Count(c => c.Expected.Language == language) >= 10, $"fewer than 10 '{language}' reports");
        Assert.True(Corpus.All.Count(c => c.Expected.Split == "heldout") >= 20, "fewer than 20 held-out reports");
    }

    [Fact]
    public void Development_split_meets_the_floors()
    {
        var dev = Evaluate("dev");
        Assert.True(dev.Impression.Accuracy >= 0.90, Describe(dev, "impression accuracy", dev.Impression.Accuracy));
        Assert.True(dev.Sites.F1 >= 0.90, Describe(dev, "site F1", dev.Sites.F1));
        Assert.True(dev.Laterality.F1 >= 0.85, Describe(dev, "laterality F1", dev.Laterality.F1));
        Assert.True(dev.Assertion.F1 >= 0.80, Describe(dev, "assertion F1", dev.Assertion.F1));
        Assert.True(dev.Recommendations.F1 >= 0.85, Describe(dev, "recommendation F1", dev.Recommendations.F1));
        Assert.True(dev.ComparisonPresence.F1 >= 0.85, Describe(dev, "comparison F1", dev.ComparisonPresence.F1));
        Assert.True(dev.ComparisonChange.Accuracy >= 0.80, Describe(dev, "comparison change accuracy", dev.ComparisonChange.Accuracy));
    }

    [Theory]
    [InlineData("heldout")]
    [InlineData("heldout2")]
    public void Held_out_splits_meet_the_floors(string split)
    {
        var heldOut = Evaluate(split);
        Assert.True(heldOut.Reports >= 15, $"{split} has only {heldOut.Reports} reports");
        // Lower floors than the development split on purpose: these reports were not used to tune rules.
        Assert.True(heldOut.Impression.Accuracy >= 0.80, Describe(heldOut, "impression accuracy", heldOut.Impression.Accuracy));
        Assert.True(heldOut.Sites.F1 >= 0.85, Describe(heldOut, "site F1", heldOut.Sites.F1));
        Assert.True(heldOut.Laterality.F1 >= 0.75, Describe(heldOut, "laterality F1", heldOut.Laterality.F1));
        Assert.True(heldOut.Assertion.F1 >= 0.65, Describe(heldOut, "assertion F1", heldOut.Assertion.F1));
        Assert.True(heldOut.Recommendations.F1 >= 0.70, Describe(heldOut, "recommendation F1", heldOut.Recommendations.F1));
    }

    [Fact]
    public void Writes_the_precision_recall_table()
    {
        var dev = Evaluate("dev");
        var heldOut = Evaluate("heldout");
        var heldOut2 = Evaluate("heldout2");
        var markdown = dev.ToMarkdown("Development split") + Environment.NewLine + heldOut.ToMarkdown("Held-out split")
            + Environment.NewLine + heldOut2.ToMarkdown("Second held-out split");
        var path = Path.Combine(AppContext.BaseDirectory, "reporting-evaluation.md");
        File.WriteAllText(path, markdown);
        if (Environment.GetEnvironmentVariable("HALFLIFE_REPORTING_EVAL_OUT") is { Length: > 0 } extra)
            File.WriteAllText(extra, markdown + Environment.NewLine + "Errors:" + Environment.NewLine +
                string.Join(Environment.NewLine, dev.Errors.Concat(heldOut.Errors).Concat(heldOut2.Errors)) + Environment.NewLine);
        TestContext.Current.TestOutputHelper?.WriteLine(markdown);
        Assert.Contains("| sites |", markdown);
        Assert.Equal(dev.Reports + heldOut.Reports + heldOut2.Reports, Corpus.All.Count);
    }

    private static CorpusEvaluator Evaluate(string split)
    {
        var evaluator = new CorpusEvaluator();
        foreach (var c in Corpus.All.Where(c => c.Expected.Split == split))
            evaluator.Add(c, ReportParser.Parse(c.Text));
        return evaluator;
    }

    private static string Describe(CorpusEvaluator e, string what, double value) =>
        $"{what} = {value:0.000}; errors:{Environment.NewLine}{string.Join(Environment.NewLine, e.Errors)}";
}
