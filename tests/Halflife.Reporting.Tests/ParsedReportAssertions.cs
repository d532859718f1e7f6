using Halflife.Reporting.Parsing;

namespace Halflife.Reporting.Tests;

internal static class ParsedReportAssertions
{
    public static Finding Single(this ParsedReport report, SkeletalSite site, Laterality? side = null)
    {
        var matches = report.Findings.Where(f => f.Site == site && (side is null || f.Laterality == side)).ToList();
        Assert.True(matches.Count == 1,
            $"expected one {site}/{side} finding, found {matches.Count}: {string.Join("; ", report.Findings.Select(Describe))}");
        return matches[0];
    }

    public static string Describe(Finding f) =>
        $"{f.Site}/{f.Laterality}/{f.Observation}/{f.Interpretation}/{f.Assertion} '{f.Span.Text}'";
}
