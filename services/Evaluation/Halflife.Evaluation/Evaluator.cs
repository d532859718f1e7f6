using System.Diagnostics;

namespace Halflife.Evaluation;

/// <summary>Runs every method on every view of one count level and scores it against the view's reference.</summary>
public static class Evaluator
{
    public static IReadOnlyList<MethodScores> Evaluate(IReadOnlyList<EvaluationView> views, IReadOnlyList<Method> methods, Action<string>? log = null)
    {
        var scores = methods.Select(m => new MethodScores(m.Name)).ToList();
        foreach (var view in views)
        {
            for (var m = 0; m < methods.Count; m++)
            {
                var clock = Stopwatch.StartNew();
                var image = methods[m].Run(view);
                var seconds = clock.Elapsed.TotalSeconds;
                scores[m].Add(ImageMetrics.Psnr(view.Reference, image), ImageMetrics.Ssim(view.Reference, image, view.Width, view.Height),
                    ImageMetrics.LesionRecoveries(view.Reference, image, view.Width, view.Height, view.Lesions, view.ExpectedInput), seconds);
            }
            log?.Invoke($"  {view.Name}: done");
        }
        return scores;
    }

    /// <summary>Mean PSNR of one method over views: the tuning objective (as training/restore/evaluate.py).</summary>
    public static double MeanPsnr(IReadOnlyList<EvaluationView> views, Func<EvaluationView, float[]> method) =>
        views.Average(v => ImageMetrics.Psnr(v.Reference, method(v)));
}
