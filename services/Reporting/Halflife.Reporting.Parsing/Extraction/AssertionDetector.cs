namespace Halflife.Reporting.Parsing.Extraction;

/// <summary>The assertion at a position and the cue that decided it; Probable marks a leaning ("likely") rather than a hedge.</summary>
internal sealed record AssertionResult(Assertion Assertion, bool Probable, Mention? Cue)
{
    public static readonly AssertionResult Present = new(Assertion.Present, false, null);
}

/// <summary>
/// NegEx/ConText-style scopes over one sentence. A pre-cue reaches forward to the end of its clause, a
/// post-cue back to the clause start, a Korean hedge over the whole clause. Negation wins over hedging
/// ("no evidence to suggest metastasis" is negated). A pre-negation also stops at a second sign that
/// follows a site: in "no abnormal uptake in the skull and increased uptake in L4", L4 is not negated.
/// </summary>
internal sealed class AssertionDetector
{
    private readonly List<(int Start, int End, Assertion Assertion, bool Probable, Mention Cue)> _scopes = [];

    public AssertionDetector(IReadOnlyList<Clause> clauses, IReadOnlyList<Mention> cues,
        IReadOnlyList<Mention> signsAndDiagnoses, IReadOnlyList<Mention> observations, IReadOnlyList<SiteMention> sites)
    {
        foreach (var cue in cues)
        {
            var clause = clauses.FirstOrDefault(c => c.Contains(cue.Start));
            if (clause is null) continue;
            switch (cue.Key)
            {
                case "PreNegation":
                    _scopes.Add((cue.End, PreNegationEnd(cue, clause, observations, sites), Assertion.Negated, false, cue));
                    break;
                case "PostNegation":
                    _scopes.Add((clause.Start, cue.Start, Assertion.Negated, false, cue));
                    break;
                case "PostNormal":
                    if (!signsAndDiagnoses.Any(m => m.Start >= clause.Start && m.End <= cue.Start))
                        _scopes.Add((clause.Start, cue.Start, Assertion.Negated, false, cue));
                    break;
                case "PrePossible": _scopes.Add((cue.End, clause.End, Assertion.Uncertain, false, cue)); break;
                case "PostPossible": _scopes.Add((clause.Start, cue.Start, Assertion.Uncertain, false, cue)); break;
                case "BiPossible": _scopes.Add((clause.Start, clause.End, Assertion.Uncertain, false, cue)); break;
                case "PreProbable": _scopes.Add((cue.End, clause.End, Assertion.Uncertain, true, cue)); break;
                case "PostProbable": _scopes.Add((clause.Start, cue.Start, Assertion.Uncertain, true, cue)); break;
                case "BiProbable": _scopes.Add((clause.Start, clause.End, Assertion.Uncertain, true, cue)); break;
            }
        }
    }

    public AssertionResult Evaluate(int position, bool ignoreNegation = false)
    {
        if (!ignoreNegation)
        {
            var negation = _scopes.FirstOrDefault(s => s.Assertion == Assertion.Negated && position >= s.Start && position < s.End);
            if (negation.Cue is not null) return new AssertionResult(Assertion.Negated, false, negation.Cue);
        }
        // A real hedge outranks a leaning when both reach the position.
        var hedges = _scopes.Where(s => s.Assertion == Assertion.Uncertain && position >= s.Start && position < s.End).ToList();
        if (hedges.Count == 0) return AssertionResult.Present;
        var decisive = hedges.FirstOrDefault(h => !h.Probable);
        if (decisive.Cue is null) decisive = hedges[0];
        return new AssertionResult(Assertion.Uncertain, decisive.Probable, decisive.Cue);
    }

    private static int PreNegationEnd(Mention cue, Clause clause, IReadOnlyList<Mention> observations, IReadOnlyList<SiteMention> sites)
    {
        var firstSite = sites.Where(s => s.Start >= cue.End && s.Start < clause.End).Select(s => s.End).DefaultIfEmpty(-1).Min();
        if (firstSite < 0) return clause.End;
        var laterSign = observations.Where(o => o.Start >= firstSite && o.Start < clause.End).Select(o => o.Start).DefaultIfEmpty(clause.End).Min();
        return laterSign;
    }
}
