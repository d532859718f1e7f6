using System.Text.RegularExpressions;

namespace Halflife.Reporting.Parsing.Extraction;

/// <summary>
/// "L4 vertebral body", "lumbar spine (L3-L5)", "vertebral body of T12", "L-spine의 endplate": the generic
/// spine word and the level or region name the same bone, so the less specific mention is dropped.
/// </summary>
internal static class SpineMentionMerger
{
    private static readonly Regex Glue = new(@"^[\s(),:]*(?:of\s+(?:the\s+)?|at\s+|의\s*)?[\s(),:]*$", RegexOptions.CultureInvariant);

    public static IReadOnlyList<SiteMention> Merge(string text, IReadOnlyList<SiteMention> sites)
    {
        // A region with levels absorbs its generic or region-only neighbour; a named region ("L-spine의
        // endplate") absorbs a generic spine word.
        var specific = sites.Where(s => s.IsSpineOnly && !s.Sites.Contains(SkeletalSite.Spine)).ToList();
        return sites.Where(s => !(s.Levels.Count == 0 && s.IsSpineOnly && specific.Any(l =>
            l != s && (l.Levels.Count > 0 || s.Sites.Contains(SkeletalSite.Spine)) && Adjacent(text, s, l) && Compatible(s, l)))).ToList();
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
