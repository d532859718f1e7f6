using System.Globalization;
using Halflife.Denoise.Filtering;
using Halflife.Evaluation;

EvaluationOptions options;
try
{
    options = EvaluationOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(EvaluationOptions.Usage);
    return 2;
}

void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

var modelPath = options.Model ?? RestorationNetwork.FindDefault()
    ?? throw new FileNotFoundException($"{RestorationNetwork.DefaultRelativePath} not found above {Directory.GetCurrentDirectory()}; give --model.");
var countsPath = options.CountsModel ?? RestorationNetwork.FindDefault(RestorationNetwork.CountsRelativePath)
    ?? throw new FileNotFoundException($"{RestorationNetwork.CountsRelativePath} not found above {Directory.GetCurrentDirectory()}; give --counts-model.");
using var network = new RestorationNetwork(modelPath);
using var countsNetwork = new RestorationNetwork(countsPath, "bone-denoise-counts");
// Both models on every data set; the Restore service's auto mode picks the 2 h -> 4 h model only for early bone
// scans (docs/restoration.md, "Which model"), so the table says which row is the one it would use.
var early = Methods.Restore(network, "restore: 2 h -> 4 h model");
var counts = Methods.Restore(countsNetwork, "restore: count model");
var simulated = options.Simulated is null ? null : SimulatedSet.Open(options.Simulated);
var rows = new List<(string, string, IReadOnlyList<MethodScores>)>();
var parameters = new List<string>();

foreach (var level in options.Levels)
{
    var sigma = Tuning.DefaultGaussianSigma.GetValueOrDefault(level, 1.0);
    var denoiser = PoissonDenoiser.DefaultParameters;
    if (options.Tune)
    {
        var training = simulated!.Views("tune", level).Take(options.MaxViews).ToList();
        Log($"{level}%: tuning on {training.Count} training views");
        sigma = Tuning.GaussianSigma(training, Log);
        denoiser = Tuning.Denoiser(training, options.Threads, Log);
    }
    parameters.Add(string.Create(CultureInfo.InvariantCulture, $"{level}%: Gaussian sigma {sigma} px; Denoise {denoiser}"));
    Log(parameters[^1]);

    var baselines = new List<Method> { Methods.Raw(), Methods.Gaussian(sigma), Methods.Denoise(denoiser, options.Threads) };
    var fraction = int.Parse(level, CultureInfo.InvariantCulture) / 100.0;
    // Thinned sets: every estimate also with count completion (Methods.CountCompletion), the fair form against a
    // full-count reference; the raw input needs none (completing it gives it back).
    List<Method> completion = [.. baselines.Skip(1).Append(counts).Select(m => Methods.CountCompletion(m, fraction))];
    if (simulated is not null && simulated.Levels.Contains(level))
    {
        var test = simulated.Views("test", level).Take(options.MaxViews).ToList();
        Log($"{level}%: {test.Count} held-out simulated 2 h views");
        List<Method> methods = [.. baselines, early, counts];
        if (test.All(v => v.FullCount is not null)) methods.Add(Methods.FullCount());
        rows.Add(($"simulated 2 h -> 4 h, held out ({test.Count} views)", level, Evaluator.Evaluate(test, methods, Log)));
        if (simulated.HasInput("test", SimulatedSet.LateInput))
        {
            var late = simulated.Views("test", level, SimulatedSet.LateInput).Take(options.MaxViews).ToList();
            Log($"{level}%: {late.Count} held-out simulated 4 h views, thinned");
            List<Method> lateMethods = [.. baselines, counts, .. completion, early];
            if (late.All(v => v.FullCount is not null)) lateMethods.Add(Methods.FullCount());
            rows.Add(($"simulated 4 h thinned, held out ({late.Count} views)", level, Evaluator.Evaluate(late, lateMethods, Log)));
            // The protocol real scans get: the reference is the full-count scan itself, noise included (lesion
            // contrast is measured against the noise-free reference in the row above, not against a noisy one).
            var withFullCount = late.Where(v => v.FullCount is not null).ToList();
            var asReal = withFullCount
                .Select(v => v with { Reference = Methods.Normalised(v.FullCount!), Lesions = [], FullCount = null }).ToList();
            if (asReal.Count > 0)
                rows.Add(($"simulated 4 h thinned, full-count reference ({asReal.Count} views)", level,
                    Evaluator.Evaluate(asReal, [.. baselines, counts, .. completion], Log)));
            // Count splitting, the other protocol for real scans: scored against the counts thinning left out. Here,
            // where the truth is known, it shows that it ranks the methods as the noise-free reference does.
            var split = withFullCount.Select(CountSplitting.AgainstHeldOutCounts).ToList();
            if (split.Count > 0)
                rows.Add(($"simulated 4 h thinned, held-out counts reference ({split.Count} views)", level,
                    Evaluator.Evaluate(split, [.. baselines, counts, early], Log)));
        }
    }
    if (options.Real.Count > 0)
    {
        var real = RealScans.Views(options.Real, fraction, options.Seed).Take(options.MaxViews).ToList();
        Log($"{level}%: {real.Count} real views, thinned");
        rows.Add(($"real, thinned ({real.Count} views)", level, Evaluator.Evaluate(real, [.. baselines, counts, .. completion, early], Log)));
        var realSplit = real.Select(CountSplitting.AgainstHeldOutCounts).ToList();
        rows.Add(($"real, thinned, held-out counts reference ({realSplit.Count} views)", level,
            Evaluator.Evaluate(realSplit, [.. baselines, counts, early], Log)));
    }
}

var table = ResultTable.Markdown(rows);
var block = table + "\nParameters: " + string.Join("; ", parameters) + ".\n";
Console.WriteLine(block);
if (options.WriteDoc is not null)
{
    ResultTable.WriteInto(options.WriteDoc, block);
    Log($"table written into {options.WriteDoc}");
}
return 0;
