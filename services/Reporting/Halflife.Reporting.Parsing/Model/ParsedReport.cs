namespace Halflife.Reporting.Parsing;

/// <summary>
/// A stretch of the ORIGINAL report text (before any normalisation), so every extracted fact can be
/// highlighted in the report a radiologist signed. <see cref="Text"/> repeats the covered text for readability.
/// </summary>
public sealed record TextSpan(int Start, int Length, string Text)
{
    public int End => Start + Length;
}

public sealed record ReportSection(SectionKind Kind, string? Heading, TextSpan Span);

/// <summary>One statement about one skeletal site.</summary>
/// <param name="Levels">Vertebral levels ("L4", "T12") when the site is a spine region and levels were given.</param>
/// <param name="RibNumbers">Rib numbers (1-12) when given.</param>
/// <param name="Span">The site phrase, from laterality to site word ("Rt. 6th rib", "우측 6번째 늑골").</param>
/// <param name="CueSpan">The negation or uncertainty trigger that decided <see cref="Assertion"/>, if any.</param>
public sealed record Finding(
    SkeletalSite Site,
    Laterality Laterality,
    IReadOnlyList<string> Levels,
    IReadOnlyList<int> RibNumbers,
    Observation Observation,
    Interpretation Interpretation,
    Assertion Assertion,
    SectionKind Section,
    TextSpan Span,
    TextSpan? ObservationSpan,
    TextSpan? InterpretationSpan,
    TextSpan? CueSpan,
    TextSpan Sentence);

/// <summary>The reader's overall conclusion.</summary>
/// <param name="Category">The headline category (see docs/reporting.md for the precedence rules).</param>
/// <param name="Categories">Every category the impression supports, in the order first stated.</param>
/// <param name="Evidence">The sentences the category was drawn from.</param>
public sealed record Impression(
    ImpressionCategory Category,
    IReadOnlyList<ImpressionCategory> Categories,
    IReadOnlyList<TextSpan> Evidence);

/// <summary>Comparison with a prior study.</summary>
/// <param name="PriorDate">ISO date ("2023-05-12" or "2023-05") of the prior study when stated.</param>
public sealed record Comparison(
    ComparisonChange Change,
    IReadOnlyList<ComparisonChange> Changes,
    string? PriorDate,
    TextSpan? PriorDateSpan,
    IReadOnlyList<TextSpan> Evidence);

public sealed record Recommendation(
    RecommendationKind Kind,
    Modality Modality,
    SkeletalSite? Site,
    string? Interval,
    TextSpan Span);

public sealed record ParsedReport(
    IReadOnlyList<ReportSection> Sections,
    IReadOnlyList<Finding> Findings,
    Impression Impression,
    Comparison? Comparison,
    IReadOnlyList<Recommendation> Recommendations);
