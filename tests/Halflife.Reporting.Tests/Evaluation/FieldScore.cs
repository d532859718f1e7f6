namespace Halflife.Reporting.Tests.Evaluation;

/// <summary>Micro-averaged counts for one field over many reports.</summary>
public sealed class FieldScore(string field)
{
    public string Field { get; } = field;
    public int TruePositives { get; private set; }
    public int FalsePositives { get; private set; }
    public int FalseNegatives { get; private set; }

    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);
    public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    /// <summary>Adds one report: both sides are sets of keys; returns the keys missed and the keys invented.</summary>
    public (IReadOnlyList<string> Missed, IReadOnlyList<string> Invented) Add(IEnumerable<string> expected, IEnumerable<string> predicted)
    {
        var e = expected.ToHashSet(StringComparer.Ordinal);
        var p = predicted.ToHashSet(StringComparer.Ordinal);
        TruePositives += e.Intersect(p).Count();
        var missed = e.Except(p).Order(StringComparer.Ordinal).ToList();
        var invented = p.Except(e).Order(StringComparer.Ordinal).ToList();
        FalseNegatives += missed.Count;
        FalsePositives += invented.Count;
        return (missed, invented);
    }
}

/// <summary>Fraction of reports where a single-valued field is right.</summary>
public sealed class AccuracyScore(string field)
{
    public string Field { get; } = field;
    public int Correct { get; private set; }
    public int Total { get; private set; }
    public double Accuracy => Total == 0 ? 1 : (double)Correct / Total;

    public bool Add(string expected, string predicted)
    {
        Total++;
        var ok = expected == predicted;
        if (ok) Correct++;
        return ok;
    }
}
