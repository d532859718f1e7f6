using System.Text.RegularExpressions;

namespace Halflife.Reporting.Parsing.Extraction;

/// <summary>
/// "L4 vertebral body", "lumbar spine (L3-L5)", "vertebral body of T12": the generic spine word and the
/// level name the same bone, so the generic mention is dropped in favour of the one with levels.
/// </summary>
internal static class SpineMentionMerger
{
    private static readonly Regex Glue = new(@"^[\s(),:]*(?:of\s+(?:the\s+)?|at\s+)?[\s(),:]*$", RegexOptions.CultureInvariant);

    public static IReadOnlyList<SiteMention> Merge(string text, IReadOnlyList<SiteMention> sites)
    {
        var leveled = sites.Where(s => s.Levels.Count > 0).ToList();
        return sites.Where(s => !(s.Levels.Count == 0 && s.IsSpineOnly && leveled.Any(l => Adjacent(text, s, l) && Compatible(s, l)))).ToList();
    }

    private static bool Compatible(SiteMention generic, SiteMention leveled) =>
        generic.Sites.Contains(SkeletalSite.Spine) || generic.Sites.Intersect(leveled.Sites).Any();

    private static bool Adjacent(string text, SiteMention a, SiteMention b)
    {
        var (first, second) = a.Start < b.Start ? (a, b) : (b, a);
        if (second.Start < first.End || second.Start - first.End > 14) return false;
        return Glue.IsMatch(text[first.End..second.Start]);
    }
}
