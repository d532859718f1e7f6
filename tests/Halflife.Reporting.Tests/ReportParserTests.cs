using Halflife.Reporting.Parsing;

namespace Halflife.Reporting.Tests;

public sealed class ReportParserTests
{
    [Fact]
    public void English_hedged_metastasis_in_the_lumbar_spine()
    {
        const string text = "Multiple increased uptake in L-spine, r/o bone metastasis";
        var report = ReportParser.Parse(text);

        var finding = report.Single(SkeletalSite.LumbarSpine);
        Assert.Equal(Observation.IncreasedUptake, finding.Observation);
        Assert.Equal(Interpretation.Metastasis, finding.Interpretation);
        Assert.Equal(Assertion.Uncertain, finding.Assertion);
        Assert.Equal("L-spine", finding.Span.Text);
        Assert.Equal("r/o", finding.CueSpan?.Text);
        Assert.Equal("increased uptake", finding.ObservationSpan?.Text);
        Assert.Equal(ImpressionCategory.Equivocal, report.Impression.Category);
    }

    [Fact]
    public void Korean_rib_with_side_number_and_possible_fracture()
    {
        const string text = "우측 6번째 늑골에 국소적 섭취 증가, 골절 가능성";
        var report = ReportParser.Parse(text);

        var rib = report.Single(SkeletalSite.Rib);
        Assert.Equal(Laterality.Right, rib.Laterality);
        Assert.Equal(new[] { 6 }, rib.RibNumbers);
        Assert.Equal(Interpretation.Fracture, rib.Interpretation);
        Assert.Equal(Assertion.Uncertain, rib.Assertion);
        Assert.Equal("우측 6번째 늑골", rib.Span.Text);
        Assert.Equal(0, rib.Span.Start);
        Assert.Equal("가능성", rib.CueSpan?.Text);
        Assert.Equal(ImpressionCategory.Fracture, report.Impression.Category);
    }

    [Fact]
    public void Mixed_negative_study_with_stable_comparison()
    {
        const string text = "No evidence of bone metastasis. 이전 검사와 비교하여 변화 없음";
        var report = ReportParser.Parse(text);

        Assert.Empty(report.Findings);
        Assert.Equal(ImpressionCategory.NoMetastasis, report.Impression.Category);
        Assert.NotNull(report.Comparison);
        Assert.Equal(ComparisonChange.Stable, report.Comparison.Change);
        Assert.Contains(report.Comparison.Evidence, e => e.Text == "변화 없");
    }

    [Fact]
    public void Impression_section_decides_the_category_over_findings()
    {
        const string text = """
            FINDINGS: Focal uptake in the Rt. 6th rib, r/o metastasis.
            IMPRESSION: Rt. 6th rib fracture, in view of the history of trauma. No bone metastasis.
            """;
        var report = ReportParser.Parse(text);

        Assert.Equal(ImpressionCategory.Fracture, report.Impression.Category);
        Assert.Equal(new[] { ImpressionCategory.Fracture, ImpressionCategory.NoMetastasis }, report.Impression.Categories);
        Assert.All(report.Impression.Evidence, e => Assert.Contains(e.Text, text));
        var fromFindings = report.Findings.Single(f => f.Section == SectionKind.Findings);
        Assert.Equal(Assertion.Uncertain, fromFindings.Assertion);
    }

    [Fact]
    public void History_section_is_not_read_as_findings()
    {
        const string text = """
            Clinical history: prostate cancer, r/o bone mets in the L-spine.
            Findings: Normal bone scan.
            """;
        var report = ReportParser.Parse(text);

        Assert.Empty(report.Findings);
        Assert.Equal(ImpressionCategory.NoMetastasis, report.Impression.Category);
        Assert.Equal(new[] { SectionKind.History, SectionKind.Findings }, report.Sections.Select(s => s.Kind));
    }

    [Fact]
    public void Recommendation_with_modality_interval_and_site()
    {
        var report = ReportParser.Parse("Indeterminate uptake in T10. Recommend MRI of the T-spine and follow-up bone scan in 3 months.");

        Assert.Contains(report.Recommendations, r => r.Modality == Modality.Mri && r.Site == SkeletalSite.ThoracicSpine);
        Assert.Contains(report.Recommendations, r => r.Modality == Modality.BoneScan && r.Kind == RecommendationKind.FollowUp && r.Interval == "in 3 months");
        // The T-spine is what to image, not a second finding.
        Assert.Equal(new[] { SkeletalSite.ThoracicSpine }, report.Findings.Select(f => f.Site));
        Assert.Equal(new[] { "T10" }, report.Findings[0].Levels);
    }

    [Fact]
    public void Negated_recommendation_is_not_a_recommendation()
    {
        var report = ReportParser.Parse("Healed rib fracture. No further evaluation is needed.");
        Assert.Empty(report.Recommendations);
    }

    [Fact]
    public void Comparison_with_korean_date_and_progression()
    {
        var report = ReportParser.Parse("2023년 5월 12일 검사와 비교하여 요추의 전이 병변이 악화됨. 좌측 늑골에 새로운 병변.");

        Assert.NotNull(report.Comparison);
        Assert.Equal("2023-05-12", report.Comparison.PriorDate);
        Assert.Equal("2023년 5월 12일", report.Comparison.PriorDateSpan?.Text);
        Assert.Equal(ComparisonChange.Progressed, report.Comparison.Change);
        Assert.Contains(ComparisonChange.New, report.Comparison.Changes);
    }

    [Fact]
    public void No_prior_study_is_reported_as_such()
    {
        var report = ReportParser.Parse("No prior study for comparison. Normal bone scan.");
        Assert.Equal(ComparisonChange.NoPrior, report.Comparison?.Change);
    }

    [Fact]
    public void Text_without_a_comparison_has_none()
    {
        Assert.Null(ReportParser.Parse("Increased uptake in both knees, degenerative.").Comparison);
    }

    [Theory]
    [InlineData("Multiple bone metastases in the spine and pelvis.", ImpressionCategory.Metastasis)]
    [InlineData("Probable bone metastasis in L2.", ImpressionCategory.Metastasis)]
    [InlineData("Suspicious for bone metastasis in L2.", ImpressionCategory.Equivocal)]
    [InlineData("골전이 의심.", ImpressionCategory.Equivocal)]
    [InlineData("Indeterminate focal uptake in the Lt. 4th rib.", ImpressionCategory.Equivocal)]
    [InlineData("정상 골스캔.", ImpressionCategory.NoMetastasis)]
    [InlineData("Degenerative change in both knees.", ImpressionCategory.Degenerative)]
    [InlineData("Compression fracture of L1.", ImpressionCategory.Fracture)]
    [InlineData("Paget's disease of the right tibia.", ImpressionCategory.Other)]
    [InlineData("s/p Rt. TKR.", ImpressionCategory.Other)]
    public void Impression_categories(string text, ImpressionCategory expected) =>
        Assert.Equal(expected, ReportParser.Parse(text).Impression.Category);

    [Fact]
    public void Empty_text_gives_an_empty_report()
    {
        var report = ReportParser.Parse("");
        Assert.Empty(report.Findings);
        Assert.Empty(report.Recommendations);
        Assert.Null(report.Comparison);
        Assert.Equal(ImpressionCategory.Other, report.Impression.Category);
    }

    [Fact]
    public void Bad_input_gets_a_clear_error()
    {
        Assert.Throws<ArgumentNullException>(() => ReportParser.Parse(null!));
        var error = Assert.Throws<ArgumentException>(() => ReportParser.Parse(new string('a', ReportParser.MaxLength + 1)));
        Assert.Contains("at most", error.Message);
    }

    [Fact]
    public void Arbitrary_text_never_crashes()
    {
        var random = new Random(20261121);
        const string alphabet = "abcdefghijklmnopqrstuvwxyz ABCLRT0123456789.,;:-/()[]\n\t늑골요추섭취증가없음의심전이　Ｌ４늑";
        for (var i = 0; i < 60; i++)
        {
            var length = random.Next(0, 2000);
            var chars = Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray();
            var text = new string(chars);
            var report = ReportParser.Parse(text);
            foreach (var f in report.Findings)
                Assert.Equal(f.Span.Text, text.Substring(f.Span.Start, f.Span.Length));
        }
    }

    [Fact]
    public void Json_shape_uses_names_and_keeps_korean_readable()
    {
        var report = ReportParser.Parse("우측 6번째 늑골에 섭취 증가, 골절 가능성");
        var json = ReportJson.Serialize(report);

        Assert.Contains("\"site\": \"Rib\"", json);
        Assert.Contains("\"laterality\": \"Right\"", json);
        Assert.Contains("\"assertion\": \"Uncertain\"", json);
        Assert.Contains("우측 6번째 늑골", json);
        var back = ReportJson.Deserialize(json);
        Assert.NotNull(back);
        Assert.Equal(report.Findings.Count, back.Findings.Count);
        Assert.Equal(report.Findings[0].Span, back.Findings[0].Span);
    }
}
