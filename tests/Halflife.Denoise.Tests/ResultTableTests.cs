using Halflife.Evaluation;

namespace Halflife.Denoise.Tests;

/// <summary>The evaluation table replaces only what lies between its markers in the document.</summary>
public sealed class ResultTableTests : IDisposable
{
    private readonly string _doc = Path.Combine(Path.GetTempPath(), $"halflife-doc-{Guid.NewGuid():N}.md");

    [Fact]
    public void Table_is_written_between_the_markers_and_the_rest_is_kept()
    {
        var scores = new MethodScores("restore");
        scores.Add(30.5, 0.95, [0.9, 1.1], 0.2);
        var table = ResultTable.Markdown([("simulated", "50", [scores])]);
        Assert.Contains("| simulated | 50% | restore | 30.50 | 0.9500 | 1.000 | 1.000 | 0.910 | 0.900 | 0/2 | 0/2 | - | - | 0.20 |", table);

        File.WriteAllText(_doc, $"# Title\nbefore\n{ResultTable.BeginMarker}\nold table\n{ResultTable.EndMarker}\nafter\n");
        ResultTable.WriteInto(_doc, table);
        ResultTable.WriteInto(_doc, table); // twice: the block is replaced, not appended
        var text = File.ReadAllText(_doc);
        Assert.DoesNotContain("old table", text);
        Assert.Single(text.Split(ResultTable.BeginMarker)[1..]);
        Assert.Equal(1, text.Split("| simulated | 50% | restore").Length - 1);
        Assert.StartsWith("# Title\nbefore\n", text);
        Assert.EndsWith($"{ResultTable.EndMarker}\nafter\n", text);
    }

    [Fact]
    public void Lesions_the_input_could_not_show_are_counted_apart()
    {
        var scores = new MethodScores("restore");
        scores.Add(30, 0.9, [new LesionRecovery(0.2, false), new LesionRecovery(0.6, true), new LesionRecovery(0.95, true)], 0.1);
        var table = ResultTable.Markdown([("simulated", "25", [scores])]);
        // All three lesions: one below 0.5, two below 0.9; of the two the input shows: none below 0.5, one below 0.9.
        Assert.Contains("| 1/3 | 2/3 | 0/2 | 1/2 |", table);
    }

    [Fact]
    public void Document_without_markers_is_refused()
    {
        File.WriteAllText(_doc, "no markers here");
        Assert.Throws<InvalidDataException>(() => ResultTable.WriteInto(_doc, "| x |"));
        Assert.Equal("no markers here", File.ReadAllText(_doc));
    }

    public void Dispose() => File.Delete(_doc);
}
