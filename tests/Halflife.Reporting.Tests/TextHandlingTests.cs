using System.Text;
using Halflife.Reporting.Parsing;
using Halflife.Reporting.Parsing.Extraction;
using Halflife.Reporting.Parsing.Text;

namespace Halflife.Reporting.Tests;

/// <summary>Normalisation, offsets, sections, sentences, dates and typos.</summary>
public sealed class TextHandlingTests
{
    [Fact]
    public void Decomposed_korean_parses_like_composed_and_spans_point_into_the_decomposed_text()
    {
        const string composed = "우측 6번째 늑골에 국소적 섭취 증가, 골절 가능성";
        var decomposed = composed.Normalize(NormalizationForm.FormD);
        Assert.NotEqual(composed.Length, decomposed.Length);

        var a = ReportParser.Parse(composed).Single(SkeletalSite.Rib);
        var b = ReportParser.Parse(decomposed).Single(SkeletalSite.Rib);

        Assert.Equal((a.Laterality, a.Interpretation, a.Assertion), (b.Laterality, b.Interpretation, b.Assertion));
        Assert.Equal(b.Span.Text, decomposed.Substring(b.Span.Start, b.Span.Length));
        Assert.Equal("우측 6번째 늑골", b.Span.Text.Normalize(NormalizationForm.FormC));
        Assert.Equal("가능성", b.CueSpan!.Text.Normalize(NormalizationForm.FormC));
    }

    [Fact]
    public void Full_width_and_odd_whitespace_parse_like_ascii()
    {
        const string text = "Ｒｔ．　６ｔｈ　ｒｉｂ\u00A0fracture\u200B，\tＬ４　compression fx．";
        var report = ReportParser.Parse(text);

        var rib = report.Single(SkeletalSite.Rib);
        Assert.Equal(Laterality.Right, rib.Laterality);
        Assert.Equal(new[] { 6 }, rib.RibNumbers);
        Assert.Equal("Ｒｔ．　６ｔｈ　ｒｉｂ", rib.Span.Text);
        Assert.Equal(new[] { "L4" }, report.Single(SkeletalSite.LumbarSpine).Levels);
    }

    [Fact]
    public void Every_span_in_the_corpus_is_exact_text_of_the_report()
    {
        foreach (var c in Evaluation.Corpus.All)
        {
            var report = ReportParser.Parse(c.Text);
            var spans = report.Findings.SelectMany(f => new[] { f.Span, f.ObservationSpan, f.InterpretationSpan, f.CueSpan, f.Sentence })
                .Concat(report.Sections.Select(s => s.Span))
                .Concat(report.Impression.Evidence)
                .Concat(report.Recommendations.Select(r => r.Span))
                .Concat(report.Comparison is null ? [] : report.Comparison.Evidence.Append(report.Comparison.PriorDateSpan));
            foreach (var span in spans.OfType<TextSpan>())
            {
                Assert.InRange(span.Start, 0, c.Text.Length);
                Assert.InRange(span.End, span.Start, c.Text.Length);
                Assert.Equal(span.Text, c.Text.Substring(span.Start, span.Length));
            }
            foreach (var f in report.Findings)
            {
                Assert.True(f.Span.Length > 0, $"{c.Id}: empty site span");
                Assert.True(f.Sentence.Start <= f.Span.Start && f.Span.End <= f.Sentence.End, $"{c.Id}: site outside its sentence");
            }
        }
    }

    [Theory]
    [InlineData("FINDINGS:\nx\nIMPRESSION:\ny", new[] { SectionKind.Findings, SectionKind.Impression })]
    [InlineData("[소견]\nx\n[결론]\ny", new[] { SectionKind.Findings, SectionKind.Impression })]
    [InlineData("소견: x\n결론: y", new[] { SectionKind.Findings, SectionKind.Impression })]
    [InlineData("판독\nx", new[] { SectionKind.Findings })]
    [InlineData("Conclusion) y", new[] { SectionKind.Impression })]
    [InlineData("Clinical information: x\nFindings: y\nComment: z", new[] { SectionKind.History, SectionKind.Findings, SectionKind.Recommendation })]
    [InlineData("Findings suggest degenerative change.", new[] { SectionKind.Body })]
    public void Section_headings(string text, SectionKind[] expected)
    {
        var sections = SectionSplitter.Split(TextNormalizer.Normalize(text));
        Assert.Equal(expected, sections.Select(s => s.Kind));
    }

    [Fact]
    public void History_written_on_one_line_does_not_swallow_the_findings_after_it()
    {
        var report = ReportParser.Parse("Dx: breast ca.\nRt. 6th rib: focal uptake, r/o mets.");
        Assert.Equal(Assertion.Uncertain, report.Single(SkeletalSite.Rib).Assertion);
    }

    [Theory]
    [InlineData("Uptake in Rt. 6th rib. No other lesion.", 2)]
    [InlineData("2023. 3. 15. 검사와 비교하여 변화 없음.", 1)]
    [InlineData("Uptake in the L4 vertebral\nbody is likely degenerative.", 1)]
    [InlineData("1. Bone metastasis. 2. DJD of knees.", 2)]
    [InlineData("L4 섭취 증가\n양측 슬관절 퇴행성 변화", 2)]
    [InlineData("Fx vs. mets in the sternum.", 1)]
    public void Sentence_boundaries(string text, int expected)
    {
        var mapped = TextNormalizer.Normalize(text);
        var sentences = SectionSplitter.Split(mapped).SelectMany(s => SentenceSplitter.Split(mapped, s)).ToList();
        Assert.Equal(expected, sentences.Count);
    }

    [Fact]
    public void List_markers_are_not_part_of_the_sentence()
    {
        var report = ReportParser.Parse("IMPRESSION:\n1) Rt. 6th rib fracture.\n② 양측 슬관절 퇴행성 변화.");
        Assert.StartsWith("Rt.", report.Single(SkeletalSite.Rib).Sentence.Text);
        Assert.StartsWith("양측", report.Single(SkeletalSite.Knee).Sentence.Text);
    }

    [Theory]
    [InlineData("compared with the scan of 2023-05-12", "2023-05-12")]
    [InlineData("compared with 2023.5.2", "2023-05-02")]
    [InlineData("2023. 5. 2. 검사와 비교", "2023-05-02")]
    [InlineData("2023년 5월 2일 검사와 비교", "2023-05-02")]
    [InlineData("'23.5.2 검사와 비교", "2023-05-02")]
    [InlineData("compared with 20230502", "2023-05-02")]
    [InlineData("compared with 5/2/2023", "2023-05-02")]
    [InlineData("compared with 15/2/2023", "2023-02-15")]
    [InlineData("compared with May 2, 2023", "2023-05-02")]
    [InlineData("compared with 2 May 2023", "2023-05-02")]
    [InlineData("compared with the study of 2023-05", "2023-05")]
    [InlineData("compared with 2023-13-45", null)]
    public void Dates(string text, string? iso)
    {
        var found = DateParser.FindFirst(text.ToLowerInvariant(), 0, text.Length);
        Assert.Equal(iso, found?.Iso);
    }

    [Theory]
    [InlineData("Focal increaed uptake in the Lt. 4th rib, likely fracure.")]
    [InlineData("Focal increased uptkae in the Lt. 4th rib, likely fractrue.")]
    public void One_keystroke_typos_in_key_words_are_read(string text)
    {
        var rib = ReportParser.Parse(text).Single(SkeletalSite.Rib);
        Assert.Equal(Observation.IncreasedUptake, rib.Observation);
        Assert.Equal(Interpretation.Fracture, rib.Interpretation);
        // The span still shows the misspelt original.
        Assert.Contains(rib.InterpretationSpan!.Text, text);
    }

    [Fact]
    public void Ordinary_words_near_a_key_word_are_not_corrected()
    {
        // "internal" is one letter from "interval"; correcting it would invent a comparison.
        var report = ReportParser.Parse("Uptake around the internal fixation of the right femur.");
        Assert.Null(report.Comparison);
        Assert.Equal(Interpretation.PostSurgical, report.Single(SkeletalSite.Femur).Interpretation);
    }
}
