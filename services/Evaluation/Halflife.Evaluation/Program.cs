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
using var network = new RestorationNetwork(modelPath);
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

    var methods = new List<Method>
    {
        Methods.Raw(), Methods.Gaussian(sigma), Methods.Denoise(denoiser, options.Threads), Methods.Restore(network),
    };
    if (simulated is not null && simulated.Levels.Contains(level))
    {
        var test = simulated.Views("test", level).Take(options.MaxViews).ToList();
        Log($"{level}%: {test.Count} held-out simulated views");
        var withReference = test.All(v => v.FullCount is not null) ? [.. methods, Methods.FullCount()] : methods;
        rows.Add(($"simulated, held out ({test.Count} views)", level, Evaluator.Evaluate(test, withReference, Log)));
    }
    if (options.Real.Count > 0)
    {
        var fraction = int.Parse(level, CultureInfo.InvariantCulture) / 100.0;
        var real = RealScans.Views(options.Real, fraction, options.Seed).Take(options.MaxViews).ToList();
        Log($"{level}%: {real.Count} real views, thinned");
        rows.Add(($"real, thinned ({real.Count} views)", level, Evaluator.Evaluate(real, methods, Log)));
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
