namespace Halflife.Reporting.Parsing.Extraction;

/// <summary>
/// Site words that only organise the text: a region used as a label ("Pelvis: Rt. pubic ramus and sacrum",
/// "Extremities: Bil. knees DJD") and a generic "joint" right after a named joint ("MCP 관절",
/// "acromioclavicular joints"). Both would otherwise become findings of their own.
/// </summary>
internal static class SiteLabels
{
    public static IReadOnlyList<SiteMention> Drop(string text, IReadOnlyList<SiteMention> sites)
    {
        var kept = new List<SiteMention>();
        for (var i = 0; i < sites.Count; i++)
        {
            var site = sites[i];
            var isLabel = i == 0 && i + 1 < sites.Count && FollowedByColon(text, site.End)
                && site.Laterality == Laterality.None && site.Levels.Count == 0 && site.RibNumbers.Count == 0;
            var isJointWord = i > 0 && site.Sites is [SkeletalSite.Joint]
                && site.PhraseStart >= sites[i - 1].End && site.PhraseStart - sites[i - 1].End <= 2
                && text[sites[i - 1].End..site.PhraseStart].Trim().Length == 0;
            // "골반골 우측 장골익": the whole names the region of the part that follows.
            var isRegionOfPart = i + 1 < sites.Count && site.Sites is [SkeletalSite.Pelvis] && site.Laterality == Laterality.None
                && sites[i + 1].Sites.Any(SiteRules.IsPelvicPart) && sites[i + 1].PhraseStart - site.End <= 4
                && text[site.End..sites[i + 1].PhraseStart].Trim().Length == 0;
            if (!isLabel && !isJointWord && !isRegionOfPart) kept.Add(site);
        }
        return kept;
    }

    private static bool FollowedByColon(string text, int end)
    {
        var i = end;
        while (i < text.Length && text[i] == ' ') i++;
        return i < text.Length && text[i] == ':';
    }
}
