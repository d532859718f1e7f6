namespace Halflife.Evaluation;

/// <summary>
/// Binomial thinning: keep each recorded count independently with probability p. A scan thinned this way is
/// statistically identical to one acquired for p times as long (the counts of a Poisson process, each kept with
/// probability p, are again Poisson with p times the mean), so it makes 50 % and 25 % inputs from a real full-count
/// scan. The work is one Bernoulli draw per recorded count (a few million for a whole-body view); seeded, so a run
/// is reproducible.
/// </summary>
public static class CountThinning
{
    /// <summary>Guards against a wrong rescale or a non-count image: 2^31 draws would take minutes.</summary>
    public const long MaxTotalCounts = 1L << 31;

    public static float[] Thin(ReadOnlySpan<float> counts, double p, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(p is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "p must be in [0, 1]");
        long total = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            var c = counts[i];
            if (!float.IsFinite(c) || c < 0 || Math.Abs(c - MathF.Round(c)) > 1e-3f)
                throw new ArgumentException($"pixel {i} holds {c}, not a whole non-negative count.", nameof(counts));
            total += (long)MathF.Round(c);
        }
        if (total > MaxTotalCounts) throw new ArgumentException($"{total} counts exceed the {MaxTotalCounts} limit of thinning.", nameof(counts));

        var thinned = new float[counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            var n = (long)MathF.Round(counts[i]);
            var kept = 0;
            for (long k = 0; k < n; k++)
                if (random.NextDouble() < p) kept++;
            thinned[i] = kept;
        }
        return thinned;
    }
}
