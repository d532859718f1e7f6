using Halflife.Reporting.Parsing;

namespace Halflife.Reporting.Tests;

public sealed class SiteMatchingTests
{
    [Theory]
    [InlineData("Increased uptake in the Rt. 4th-6th ribs.", Laterality.Right, new[] { 4, 5, 6 })]
    [InlineData("Increased uptake in the Lt. 7th and 8th ribs.", Laterality.Left, new[] { 7, 8 })]
    [InlineData("Increased uptake in the right posterior 10th rib.", Laterality.Right, new[] { 10 })]
    [InlineData("Increased uptake in R 9th rib.", Laterality.Right, new[] { 9 })]
    [InlineData("우측 제6번 늑골에 섭취 증가.", Laterality.Right, new[] { 6 })]
    [InlineData("좌측 4, 5번째 늑골에 섭취 증가.", Laterality.Left, new[] { 4, 5 })]
    [InlineData("좌측 6~8번째 늑골에 섭취 증가.", Laterality.Left, new[] { 6, 7, 8 })]
    [InlineData("Increased uptake in the sixth rib (Rt).", Laterality.Right, new[] { 6 })]
    public void Ribs_with_side_and_numbers(string text, Laterality side, int[] numbers)
    {
        var rib = ReportParser.Parse(text).Single(SkeletalSite.Rib);
        Assert.Equal(side, rib.Laterality);
        Assert.Equal(numbers, rib.RibNumbers);
    }

    [Theory]
    [InlineData("Increased uptake at L4.", SkeletalSite.LumbarSpine, "L4")]
    [InlineData("Increased uptake at L3-5.", SkeletalSite.LumbarSpine, "L3,L4,L5")]
    [InlineData("Increased uptake at the L4 vertebral body.", SkeletalSite.LumbarSpine, "L4")]
    [InlineData("Increased uptake at D12.", SkeletalSite.ThoracicSpine, "T12")]
    [InlineData("제4요추에 섭취 증가.", SkeletalSite.LumbarSpine, "L4")]
    [InlineData("요추 3-5번에 섭취 증가.", SkeletalSite.LumbarSpine, "L3,L4,L5")]
    [InlineData("Increased uptake at C5/6.", SkeletalSite.CervicalSpine, "C5,C6")]
    public void Vertebral_levels(string text, SkeletalSite site, string levels)
    {
        var report = ReportParser.Parse(text);
        var finding = report.Single(site);
        Assert.Equal(levels.Split(','), finding.Levels);
        Assert.Equal(Laterality.None, finding.Laterality);
    }

    [Fact]
    public void A_range_across_regions_gives_one_finding_per_region()
    {
        var report = ReportParser.Parse("Compression fractures at T11-L1.");
        Assert.Equal(new[] { "T11", "T12" }, report.Single(SkeletalSite.ThoracicSpine).Levels);
        Assert.Equal(new[] { "L1" }, report.Single(SkeletalSite.LumbarSpine).Levels);
    }

    [Theory]
    [InlineData("Degenerative uptake in both knees.", Laterality.Bilateral)]
    [InlineData("Degenerative uptake in Bil. knees.", Laterality.Bilateral)]
    [InlineData("Degenerative uptake in B/L knees.", Laterality.Bilateral)]
    [InlineData("Degenerative uptake in Rt. and Lt. knees.", Laterality.Bilateral)]
    [InlineData("양측 슬관절의 퇴행성 변화.", Laterality.Bilateral)]
    [InlineData("Degenerative uptake in the knee on the left.", Laterality.Left)]
    [InlineData("오른쪽 무릎의 퇴행성 변화.", Laterality.Right)]
    public void Laterality_forms(string text, Laterality expected) =>
        Assert.Equal(expected, ReportParser.Parse(text).Single(SkeletalSite.Knee).Laterality);

    [Fact]
    public void A_side_carries_over_a_list_of_bare_sites_only()
    {
        var report = ReportParser.Parse("Increased uptake in the Rt. knee and ankle, and both femurs and multiple ribs.");
        Assert.Equal(Laterality.Right, report.Single(SkeletalSite.Ankle).Laterality);
        Assert.Equal(Laterality.Bilateral, report.Single(SkeletalSite.Femur).Laterality);
        Assert.Equal(Laterality.None, report.Single(SkeletalSite.Rib).Laterality);
    }

    [Theory]
    [InlineData("Uptake in the SIJ.", SkeletalSite.SacroiliacJoint)]
    [InlineData("Uptake in the acetabulum.", SkeletalSite.Acetabulum)]
    [InlineData("Uptake in the ischial tuberosity.", SkeletalSite.Ischium)]
    [InlineData("Uptake in the pubic ramus.", SkeletalSite.Pubis)]
    [InlineData("Uptake in the iliac crest.", SkeletalSite.Ilium)]
    [InlineData("천장관절에 섭취 증가.", SkeletalSite.SacroiliacJoint)]
    [InlineData("흉골에 섭취 증가.", SkeletalSite.Sternum)]
    [InlineData("쇄골에 섭취 증가.", SkeletalSite.Clavicle)]
    [InlineData("견갑골에 섭취 증가.", SkeletalSite.Scapula)]
    [InlineData("Uptake in the tibia.", SkeletalSite.Tibia)]
    [InlineData("Uptake in the humeral head.", SkeletalSite.Humerus)]
    [InlineData("Uptake in the wrist.", SkeletalSite.Wrist)]
    [InlineData("Uptake in the calvarium.", SkeletalSite.Skull)]
    [InlineData("Uptake in the sacrum.", SkeletalSite.Sacrum)]
    public void Site_vocabulary(string text, SkeletalSite site) =>
        Assert.Equal(site, Assert.Single(ReportParser.Parse(text).Findings).Site);

    [Fact]
    public void Tibia_and_fibula_written_together_are_two_sites()
    {
        var report = ReportParser.Parse("Increased uptake in the left tibia/fibula.");
        Assert.Equal(Laterality.Left, report.Single(SkeletalSite.Tibia).Laterality);
        Assert.Equal(Laterality.Left, report.Single(SkeletalSite.Fibula).Laterality);
    }

    [Fact]
    public void A_site_in_a_diagnosis_word_is_not_a_site()
    {
        // "관절" inside "관절염" (arthritis) is the diagnosis, not a joint finding.
        var report = ReportParser.Parse("양측 슬관절에 섭취 증가. 관절염 가능성.");
        Assert.Equal(new[] { SkeletalSite.Knee }, report.Findings.Select(f => f.Site));
    }
}
