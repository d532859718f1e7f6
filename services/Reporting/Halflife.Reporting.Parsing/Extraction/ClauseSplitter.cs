using System.Text.RegularExpressions;

namespace Halflife.Reporting.Parsing.Extraction;

/// <summary>A part of a sentence that one negation or hedge can reach. IsException: "except (for) the L4".</summary>
internal sealed record Clause(int Start, int End, bool IsException)
{
    public bool Contains(int position) => position >= Start && position < End;
}

/// <summary>
/// Splits a sentence where a cue's scope must stop: semicolons, NegEx termination words ("but", "however",
/// Korean connectives "있으며", "있으나"), exception words, and commas that join two statements.
/// A comma only ends a clause when the text on both sides says something (a sign, a diagnosis, a cue):
/// in "no abnormal uptake in the skull, spine, or pelvis" the commas join a list and the negation must
/// reach "pelvis"; in "increased uptake in L4, r/o metastasis" the comma separates two statements.
/// </summary>
internal static class ClauseSplitter
{
    public static IReadOnlyList<Clause> Split(string text, int start, int end, IReadOnlyList<Mention> content,
        IReadOnlyList<Mention> opensClause, IReadOnlyList<Mention> cues, IReadOnlyList<SiteMention> sites)
    {
        var boundaries = new SortedDictionary<int, bool>(); // position -> the clause that starts here is an exception
        var exceptionEnds = new HashSet<int>();

        foreach (var cue in cues)
        {
            switch (cue.Key)
            {
                case "Termination": boundaries[cue.Start] = false; break;
                case "TerminationAfter": boundaries[cue.End] = false; break;
                case "ExceptionPre": boundaries[cue.Start] = true; break;
                case "ExceptionPost": boundaries[cue.End] = false; exceptionEnds.Add(cue.End); break;
            }
        }
        for (var i = start; i < end; i++)
            if (text[i] == ';') boundaries.TryAdd(i + 1, false);

        bool HasContent(int from, int to) => content.Any(m => m.Start >= from && m.Start < to);
        bool OpensClause(int from, int to) => opensClause.Any(m => m.Start >= from && m.Start < to);
        var lastBoundary = start;
        for (var i = start; i < end; i++)
        {
            if (boundaries.ContainsKey(i)) lastBoundary = i;
            var separator = text[i] == ',' || (text[i] == '-' && i > start && text[i - 1] == ' ' && i + 1 < end && text[i + 1] == ' ');
            if (!separator) continue;
            var nextComma = text.IndexOf(',', i + 1, end - i - 1);
            var segmentEnd = nextComma < 0 ? end : nextComma;
            var nextBoundary = boundaries.Keys.FirstOrDefault(b => b > i, end);
            segmentEnd = Math.Min(segmentEnd, nextBoundary);
            if (HasContent(lastBoundary, i) && OpensClause(i + 1, segmentEnd) && !ContinuesSiteList(text, i, sites))
            {
                boundaries.TryAdd(i + 1, false);
                lastBoundary = i + 1;
            }
        }

        return Build(start, end, boundaries, exceptionEnds);
    }

    // "lesions in the T8, L2 and right iliac bone show...": a comma between two sites continues a list.
    private static bool ContinuesSiteList(string text, int comma, IReadOnlyList<SiteMention> sites)
    {
        var before = sites.Any(s => s.End <= comma && text[s.End..comma].Trim().Length == 0);
        var after = sites.Any(s => s.PhraseStart > comma && Regex.IsMatch(text[(comma + 1)..s.PhraseStart], @"^\s*(?:and\s+|or\s+|및\s*)?(?:the\s+)?$"));
        return before && after;
    }

    private static List<Clause> Build(int start, int end, SortedDictionary<int, bool> boundaries, HashSet<int> exceptionEnds)
    {
        var clauses = new List<Clause>();
        var clauseStart = start;
        var isException = false;
        foreach (var (position, exception) in boundaries.Where(b => b.Key > start && b.Key < end))
        {
            if (position <= clauseStart) continue;
            clauses.Add(new Clause(clauseStart, position, isException || exceptionEnds.Contains(position)));
            clauseStart = position;
            isException = exception;
        }
        clauses.Add(new Clause(clauseStart, end, isException));
        return clauses;
    }
}
