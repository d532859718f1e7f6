using System.Globalization;
using System.Text;

namespace Halflife.Evaluation;

/// <summary>The evaluation table in Markdown, and its place in docs/restoration.md between two marker comments.</summary>
public static class ResultTable
{
    public const string BeginMarker = "<!-- evaluation-table:begin (written by halflife-evaluate --write-doc) -->";
    public const string EndMarker = "<!-- evaluation-table:end -->";

    public static string Markdown(IEnumerable<(string Data, string Level, IReadOnlyList<MethodScores> Scores)> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| data | counts | method | PSNR (dB) | SSIM | contrast recovery mean | median | 5th pct | min | lesions < 0.5 | lesions < 0.9 | visible in input: < 0.5 | < 0.9 | s/view |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (data, level, scores) in rows)
            foreach (var s in scores)
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {data} | {level}% | {s.Method} | {s.Psnr:F2} | {s.Ssim:F4} | {F(s.RecoveryMean)} | {F(s.RecoveryMedian)} | {F(s.RecoveryP5)} | {F(s.RecoveryMin)} | {Share(s.LesionsBelowHalf, s.Lesions)} | {Share(s.LesionsBelowTarget, s.Lesions)} | {Visible(s, s.VisibleBelowHalf)} | {Visible(s, s.VisibleBelowTarget)} | {s.SecondsPerView:F2} |"));
        return text.ToString();
    }

    private static string Share(int count, int of) => of == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{count}/{of}");

    private static string Visible(MethodScores s, int count) => s.VisibilityKnown ? Share(count, s.VisibleLesions) : "-";

    private static string F(double v) => double.IsFinite(v) ? v.ToString("F3", CultureInfo.InvariantCulture) : "-";

    /// <summary>Replaces the text between the markers (which must both be there, in order) with the table.</summary>
    public static void WriteInto(string document, string table)
    {
        var text = File.ReadAllText(document);
        var begin = text.IndexOf(BeginMarker, StringComparison.Ordinal);
        var end = text.IndexOf(EndMarker, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
            throw new InvalidDataException($"{document} has no \"{BeginMarker}\" ... \"{EndMarker}\" block to write the table into.");
        var start = begin + BeginMarker.Length;
        File.WriteAllText(document, text[..start] + "\n" + table + text[end..]);
    }
}
