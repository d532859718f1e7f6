namespace Halflife.Reporting.Parsing.Extraction;

/// <summary>
/// A skeletal site named in the text, with what qualifies it: side, rib numbers, vertebral levels.
/// [PhraseStart, End) covers the whole phrase ("Rt. 6th rib"); [Start, End) only the site word.
/// </summary>
internal sealed record SiteMention(
    IReadOnlyList<SkeletalSite> Sites,
    IReadOnlyList<string> Levels,
    IReadOnlyList<int> RibNumbers,
    Laterality Laterality,
    int PhraseStart,
    int Start,
    int End)
{
    public bool IsSpineOnly => Sites.All(SiteRules.IsSpine);
}

/// <summary>Anatomical facts the matcher needs: which sites have sides, which are parts of the spine.</summary>
internal static class SiteRules
{
    private static readonly HashSet<SkeletalSite> NeverLateral =
    [
        SkeletalSite.Spine, SkeletalSite.CervicalSpine, SkeletalSite.ThoracicSpine, SkeletalSite.LumbarSpine,
        SkeletalSite.Sternum, SkeletalSite.Coccyx, SkeletalSite.AxialSkeleton,
    ];

    // Midline or single structures: a side is kept when written ("Rt. parietal bone") but never inherited
    // from a neighbour in a list.
    private static readonly HashSet<SkeletalSite> NotInherited = [SkeletalSite.Skull, SkeletalSite.Sacrum];

    public static bool CanBeLateral(SkeletalSite site) => !NeverLateral.Contains(site);

    public static bool InheritsLaterality(SkeletalSite site) => CanBeLateral(site) && !NotInherited.Contains(site);

    public static bool IsPelvicPart(SkeletalSite site) =>
        site is SkeletalSite.Ilium or SkeletalSite.Ischium or SkeletalSite.Pubis or SkeletalSite.Acetabulum;

    public static bool IsSpine(SkeletalSite site) =>
        site is SkeletalSite.Spine or SkeletalSite.CervicalSpine or SkeletalSite.ThoracicSpine or SkeletalSite.LumbarSpine or SkeletalSite.Sacrum;
}
