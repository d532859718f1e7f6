using Halflife.Contracts;
using Halflife.Restore.Pipeline;

namespace Halflife.Restore.Tests;

/// <summary>Which model restores a scan: the 2 h -> 4 h model only for an early bone scan, the count model otherwise.</summary>
public sealed class RestoreModelSelectorTests
{
    private static StudyContext Scan(string? injected, string? acquired, string? agent = "Tc99m MDP", string? series = null, string? seriesTime = null) =>
        new(null, null, null, null, null, null, null, "BONE SCAN", series, null, seriesTime, acquired, injected, agent, null);

    [Theory]
    [InlineData("0930", "1130")] // 2.0 h
    [InlineData("093000.000", "110500")] // 1.6 h, fractional seconds
    [InlineData("09:30:00", "12:15:00")] // ACR-NEMA colons, 2.75 h
    public void An_early_bone_scan_gets_the_2h_to_4h_model(string injected, string acquired)
    {
        var choice = RestoreModelSelector.Choose(new RestoreOptions(), Scan(injected, acquired));
        Assert.Equal(("bone-restore", RestoreModes.EarlyToStandard), (choice.ModelName, choice.Mode));
        Assert.Contains("early bone scan", choice.Reason);
    }

    [Theory]
    [InlineData("0900", "1300", "late scan")] // 4 h
    [InlineData("0900", "1200", "late scan")] // exactly 3 h counts as late
    [InlineData("0900", "0910", "not a 2 h bone-scan phase")] // flow / blood pool
    [InlineData(null, "1300", "unknown")]
    [InlineData("0900", null, "unknown")]
    [InlineData("25", "1300", "unknown")] // malformed TM
    [InlineData("0900", "13a0", "unknown")]
    public void Late_early_phase_or_unknown_timing_gets_the_count_model(string? injected, string? acquired, string reason)
    {
        var choice = RestoreModelSelector.Choose(new RestoreOptions(), Scan(injected, acquired));
        Assert.Equal(("bone-denoise-counts", RestoreModes.Counts), (choice.ModelName, choice.Mode));
        Assert.Contains(reason, choice.Reason);
    }

    [Fact]
    public void No_study_context_gets_the_count_model() =>
        Assert.Equal("bone-denoise-counts", RestoreModelSelector.Choose(new RestoreOptions(), null).ModelName);

    [Fact]
    public void Series_time_stands_in_for_a_missing_acquisition_time_and_midnight_is_crossed()
    {
        Assert.Equal("bone-restore", RestoreModelSelector.Choose(new RestoreOptions(), Scan("1000", null, seriesTime: "1200")).ModelName);
        Assert.Equal(TimeSpan.FromHours(2), ScanTiming.SinceInjection(Scan("2300", "0100")));
    }

    [Theory]
    [InlineData("Tc-99m MAA", null)] // lung perfusion, 2 h after injection: not a bone scan
    [InlineData("Tc99m DMSA", "WB")]
    [InlineData(null, "LUNG PERFUSION")]
    public void Another_agent_or_study_at_2h_gets_the_count_model(string? agent, string? series)
    {
        var context = new StudyContext(null, null, null, null, null, null, null, null, series, null, null, "1100", "0900", agent, null);
        var choice = RestoreModelSelector.Choose(new RestoreOptions(), context);
        Assert.Equal("bone-denoise-counts", choice.ModelName);
        Assert.Contains("not recognisably a bone scan", choice.Reason);
    }

    [Theory]
    [InlineData("HDP")]
    [InlineData("Tc-99m oxidronate")]
    [InlineData("TC99M-DPD")]
    [InlineData("sodium medronate")]
    public void Bone_agents_are_recognised(string agent) =>
        Assert.True(RestoreModelSelector.IsBoneScan(Scan("0900", "1100", agent)));

    [Theory]
    [InlineData("SCINTIGRAPHIE OSSEUSE", true)]
    [InlineData("Whole body anterior", true)]
    [InlineData("Knochenszintigraphie", true)]
    [InlineData("THYROID", false)]
    public void Without_a_named_agent_the_description_decides(string series, bool bone) =>
        Assert.Equal(bone, RestoreModelSelector.IsBoneScan(new StudyContext(null, null, null, null, null, null, null, null, series, null, null, null, null, null, null)));

    [Fact]
    public void A_configured_mode_overrides_the_scan()
    {
        var early = Scan("0900", "1100");
        var late = Scan("0900", "1400");
        Assert.Equal("bone-denoise-counts", RestoreModelSelector.Choose(new RestoreOptions { Mode = "counts" }, early).ModelName);
        Assert.Equal("bone-restore", RestoreModelSelector.Choose(new RestoreOptions { Mode = "Early-To-Standard" }, late).ModelName);
        Assert.Equal("my-counts", RestoreModelSelector.Choose(new RestoreOptions { CountsModelName = "my-counts" }, late).ModelName);
        Assert.Equal("bone-restore", RestoreModelSelector.Choose(new RestoreOptions { LateScanHours = 6 }, Scan("0900", "1400")).ModelName);
    }

    [Fact]
    public void Bad_settings_are_reported_and_an_unknown_mode_is_refused()
    {
        Assert.Empty(new RestoreOptions().Problems());
        Assert.Contains(new RestoreOptions { Mode = "fastest" }.Problems(), p => p.Contains("Restore:Mode 'fastest'"));
        Assert.Contains(new RestoreOptions { EarlyScanMinHours = 4 }.Problems(), p => p.Contains("EarlyScanMinHours"));
        Assert.Contains(new RestoreOptions { CountsModelName = " " }.Problems(), p => p.Contains("CountsModelName"));
        Assert.Throws<InvalidOperationException>(() => RestoreModelSelector.Choose(new RestoreOptions { Mode = "fastest" }, null));
        Assert.Equal(["bone-restore", "bone-denoise-counts"], new RestoreOptions().ModelNames());
        Assert.Equal(["bone-denoise-counts"], new RestoreOptions { Mode = "counts" }.ModelNames());
    }

    [Theory]
    [InlineData("1", null)]
    [InlineData("123", null)]
    [InlineData("2460", null)]
    [InlineData("0960", null)]
    [InlineData("10", 10 * 3600.0)]
    [InlineData("1015", 10 * 3600.0 + 15 * 60)]
    [InlineData("101530.5", 10 * 3600.0 + 15 * 60 + 30.5)]
    [InlineData("101530.", null)]
    public void Dicom_times_parse_or_are_refused(string text, double? seconds) =>
        Assert.Equal(seconds, ScanTiming.ParseTime(text)?.TotalSeconds);
}
