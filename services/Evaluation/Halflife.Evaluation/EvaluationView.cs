namespace Halflife.Evaluation;

/// <summary>
/// One view to evaluate: the low-count input (counts) and the reference it should look like, in reference units
/// (divided by its own mean), with the lesions to measure. <see cref="ExpectedInput"/>: the input's expected
/// (noise-free) counts, where known, to tell which lesions the input can show at all.
/// </summary>
public sealed record EvaluationView(string Name, int Width, int Height, float[] Counts, float[] Reference, IReadOnlyList<Lesion> Lesions,
    float[]? FullCount = null, float[]? ExpectedInput = null);

/// <summary>A method under comparison: counts in, image in "divided by the input's mean" units out.</summary>
public sealed record Method(string Name, Func<EvaluationView, float[]> Run);
