using Halflife.Denoise.Filtering;

namespace Halflife.Evaluation;

/// <summary>
/// Baseline and denoiser parameters chosen for the best mean PSNR on TRAINING views only (the held-out views are
/// used once, for the table). The grids are those of training/restore/evaluate.py, plus patch and search sizes.
/// </summary>
public static class Tuning
{
    public static readonly double[] Sigmas = [0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0];
    public static readonly float[] NlmH = [0.25f, 0.35f, 0.45f, 0.6f, 0.8f, 1.0f];
    public static readonly (int Patch, int Search)[] NlmWindows = [(1, 6), (2, 6), (3, 6), (2, 9)];

    /// <summary>Values tuned with `--tune` (docs/restoration.md), used when a run does not tune.</summary>
    public static readonly IReadOnlyDictionary<string, double> DefaultGaussianSigma = new Dictionary<string, double> { ["50"] = 0.75, ["25"] = 1.0 };

    public static double GaussianSigma(IReadOnlyList<EvaluationView> training, Action<string>? log = null)
    {
        var best = Sigmas.MaxBy(s =>
        {
            var score = Evaluator.MeanPsnr(training, Methods.Gaussian(s).Run);
            log?.Invoke($"  gaussian sigma {s}: {score:F3} dB");
            return score;
        });
        return best;
    }

    public static NonLocalMeansParameters Denoiser(IReadOnlyList<EvaluationView> training, int threads, Action<string>? log = null)
    {
        var candidates = NlmWindows.SelectMany(w => NlmH.Select(h => new NonLocalMeansParameters(w.Patch, w.Search, h))).ToList();
        return candidates.MaxBy(p =>
        {
            var score = Evaluator.MeanPsnr(training, Methods.Denoise(p, threads).Run);
            log?.Invoke($"  denoise {p}: {score:F3} dB");
            return score;
        })!;
    }
}
