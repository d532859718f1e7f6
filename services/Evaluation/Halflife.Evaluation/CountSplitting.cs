namespace Halflife.Evaluation;

/// <summary>
/// Scoring a thinned scan against the counts that thinning left out ("count splitting"). Thinning splits a Poisson
/// scan into two independent Poisson scans of the same distribution: the kept counts x (p lambda) and the held-out
/// counts y = full - x ((1 - p) lambda). The held-out scan is a second, independent measurement of lambda that the
/// method never saw, so for any estimate e of lambda (both in view-mean units)
///     E|e - y'|^2 = |e - lambda'|^2 + E|y' - lambda'|^2,    y' = y / mean(y), lambda' = lambda / mean(lambda),
/// the last term being the same for every method: the ranking, and the MSE differences between methods, are those
/// against the noise-free truth, which a real scan does not have. Scored against the full-count scan instead, a
/// method is rewarded for keeping x's noise, which that reference shares (see Methods.CountCompletion).
/// </summary>
public static class CountSplitting
{
    /// <summary>
    /// The view scored against its held-out counts: reference = (full - kept) / its mean; lesions are dropped (contrast
    /// on a noisy reference is measured in the rows with a noise-free one).
    /// </summary>
    /// <exception cref="InvalidDataException">The view has no full-count scan, or its input is not a thinning of it.</exception>
    public static EvaluationView AgainstHeldOutCounts(EvaluationView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var full = view.FullCount ?? throw new InvalidDataException($"{view.Name} has no full-count scan to split.");
        if (full.Length != view.Counts.Length) throw new InvalidDataException($"{view.Name}: full-count scan and input differ in size.");
        var heldOut = new float[full.Length];
        for (var i = 0; i < full.Length; i++)
        {
            heldOut[i] = full[i] - view.Counts[i];
            if (heldOut[i] < 0)
                throw new InvalidDataException($"{view.Name}: pixel {i} keeps {view.Counts[i]} of {full[i]} counts; the input is not a thinning of the full-count scan.");
        }
        return view with { Name = view.Name + " (held-out counts)", Reference = Methods.Normalised(heldOut), Lesions = [], FullCount = null };
    }
}
