using Halflife.Reporting.Parsing;

namespace Halflife.Reporting.Tests;

/// <summary>Assertion cues: scope, boundaries, pseudo-negations, Korean post-position negation and hedges.</summary>
public sealed class NegationAndUncertaintyTests
{
    [Fact]
    public void Pre_negation_reaches_every_site_of_a_list()
    {
        var report = ReportParser.Parse("No abnormal uptake in the skull, spine, ribs, or pelvis.");
        Assert.Equal(4, report.Findings.Count);
        Assert.All(report.Findings, f => Assert.Equal(Assertion.Negated, f.Assertion));
        Assert.All(report.Findings, f => Assert.Equal("No", f.CueSpan?.Text));
    }

    [Fact]
    public void Pre_negation_stops_at_a_second_sign()
    {
        var report = ReportParser.Parse("No abnormal uptake in the skull and increased uptake in L4.");
        Assert.Equal(Assertion.Negated, report.Single(SkeletalSite.Skull).Assertion);
        Assert.Equal(Assertion.Present, report.Single(SkeletalSite.LumbarSpine).Assertion);
    }

    [Fact]
    public void Termination_word_ends_the_scope()
    {
        var report = ReportParser.Parse("No evidence of metastasis in the spine, but there is increased uptake in the right knee.");
        Assert.Equal(Assertion.Negated, report.Single(SkeletalSite.Spine).Assertion);
        Assert.Equal(Assertion.Present, report.Single(SkeletalSite.Knee, Laterality.Right).Assertion);
    }

    [Theory]
    [InlineData("Increased uptake in L4, no interval change.")]
    [InlineData("L4 섭취 증가, 이전 검사와 비교하여 변화 없음.")]
    [InlineData("Increased uptake in L4 without significant change.")]
    public void Pseudo_negation_denies_nothing(string text)
    {
        var report = ReportParser.Parse(text);
        Assert.Equal(Assertion.Present, report.Single(SkeletalSite.LumbarSpine).Assertion);
        Assert.Equal(ComparisonChange.Stable, report.Comparison?.Change);
    }

    [Theory]
    [InlineData("두개골, 척추, 골반에 이상 섭취 없음.", "없음")]
    [InlineData("두개골, 척추, 골반에 이상 섭취는 보이지 않음.", "보이지 않")]
    [InlineData("두개골, 척추, 골반에 이상 섭취가 관찰되지 않음.", "관찰되지 않")]
    [InlineData("두개골, 척추, 골반의 섭취 증가는 골전이가 아님.", "아님")]
    public void Korean_post_position_negation_reaches_back_over_the_list(string text, string cue)
    {
        var report = ReportParser.Parse(text);
        Assert.Equal(new[] { SkeletalSite.Skull, SkeletalSite.Spine, SkeletalSite.Pelvis }, report.Findings.Select(f => f.Site));
        Assert.All(report.Findings, f => Assert.Equal(Assertion.Negated, f.Assertion));
        Assert.All(report.Findings, f => Assert.Equal(cue, f.CueSpan?.Text));
    }

    [Fact]
    public void Korean_connective_ends_the_backward_scope()
    {
        var report = ReportParser.Parse("L4에 섭취 증가가 있으며, 그 외 두개골에는 이상 섭취 없음.");
        Assert.Equal(Assertion.Present, report.Single(SkeletalSite.LumbarSpine).Assertion);
        Assert.Equal(Assertion.Negated, report.Single(SkeletalSite.Skull).Assertion);
    }

    [Theory]
    [InlineData("Focal uptake in the L4, r/o metastasis.", "r/o")]
    [InlineData("Focal uptake in the L4, suspicious for metastasis.", "suspicious for")]
    [InlineData("Metastasis to L4 cannot be excluded.", "cannot be excluded")]
    [InlineData("L4 섭취 증가, 골전이 의심.", "의심")]
    [InlineData("L4 섭취 증가, 골전이 가능성 배제할 수 없음.", "배제할 수 없")]
    [InlineData("L4 섭취 증가, 골전이 가능성.", "가능성")]
    [InlineData("Focal uptake in L4, indeterminate.", "indeterminate")]
    [InlineData("Focal uptake in L4. DDx: fracture vs metastasis.", "DDx")]
    public void Hedges_make_the_finding_uncertain(string text, string cue)
    {
        var finding = ReportParser.Parse(text).Single(SkeletalSite.LumbarSpine);
        Assert.Equal(Assertion.Uncertain, finding.Assertion);
        Assert.Equal(cue, finding.CueSpan?.Text);
    }

    [Fact]
    public void Negation_outranks_a_hedge_in_its_scope()
    {
        var report = ReportParser.Parse("No abnormal uptake in the spine to suggest metastasis.");
        Assert.Equal(Assertion.Negated, report.Single(SkeletalSite.Spine).Assertion);
        Assert.Equal(ImpressionCategory.NoMetastasis, report.Impression.Category);
    }

    [Fact]
    public void Exception_escapes_the_negation()
    {
        var report = ReportParser.Parse("No abnormal uptake except for increased uptake in the Rt. knee and ankle.");
        Assert.Equal(Assertion.Present, report.Single(SkeletalSite.Knee, Laterality.Right).Assertion);
        Assert.Equal(Assertion.Present, report.Single(SkeletalSite.Ankle, Laterality.Right).Assertion);
    }

    [Fact]
    public void Korean_exception_escapes_the_negation()
    {
        var report = ReportParser.Parse("우측 슬관절 외에는 이상 섭취 없음.");
        Assert.Equal(Assertion.Present, report.Single(SkeletalSite.Knee, Laterality.Right).Assertion);
    }

    [Theory]
    [InlineData("The skull is unremarkable.", SkeletalSite.Skull)]
    [InlineData("좌측 대퇴골은 정상.", SkeletalSite.Femur)]
    public void Normal_negates_a_bare_site(string text, SkeletalSite site) =>
        Assert.Equal(Assertion.Negated, ReportParser.Parse(text).Single(site).Assertion);

    [Fact]
    public void Normal_after_a_sign_does_not_negate_it()
    {
        var report = ReportParser.Parse("Increased uptake in L4 and normal uptake elsewhere.");
        Assert.Equal(Assertion.Present, report.Single(SkeletalSite.LumbarSpine).Assertion);
    }

    [Fact]
    public void A_following_sentence_without_a_site_qualifies_the_previous_findings()
    {
        var report = ReportParser.Parse("Focal increased uptake in the Lt. 9th rib. Probably traumatic.");
        var rib = report.Single(SkeletalSite.Rib, Laterality.Left);
        Assert.Equal(Interpretation.Fracture, rib.Interpretation);
        Assert.Equal(Assertion.Uncertain, rib.Assertion);
        Assert.Equal("traumatic", rib.InterpretationSpan?.Text);
    }

    [Fact]
    public void A_following_negated_diagnosis_does_not_attach()
    {
        var report = ReportParser.Parse("Increased uptake in both knees. No evidence of bone metastasis.");
        var knees = report.Single(SkeletalSite.Knee, Laterality.Bilateral);
        Assert.Equal(Interpretation.None, knees.Interpretation);
        Assert.Equal(Assertion.Present, knees.Assertion);
    }
}
