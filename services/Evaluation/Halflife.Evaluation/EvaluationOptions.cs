using System.Globalization;

namespace Halflife.Evaluation;

/// <summary>Command-line options of halflife-evaluate.</summary>
public sealed class EvaluationOptions
{
    public const string Usage = """
        halflife-evaluate: PSNR, SSIM and lesion contrast recovery of raw low-count input, Gaussian filter, Denoise
        (Anscombe + non-local means), Restore with each of its models (the 2 h -> 4 h model bone-restore and the count
        model bone-denoise-counts) and the full-count reference. Simulated held-out views are scored twice: 2 h inputs
        against the 4 h truth, and 4 h full-count scans thinned to each level (as real scans are judged).

          --simulated DIR     views exported by: /usr/bin/python3 -m training.restore.export_eval --out DIR
          --real FILE         a real NM DICOM file, thinned to each count level (repeatable)
          --levels 50,25      count levels in percent (simulations: those exported)
          --tune              tune Gaussian sigma and the denoiser on the simulated TRAINING views first
          --model PATH        the 2 h -> 4 h model (default: models/bone-restore/bone-restore-v1.onnx above the working folder)
          --counts-model PATH the count-restoration model (default: models/bone-denoise-counts/bone-denoise-counts-v1.onnx)
          --threads N         threads for the denoiser (default: processor count)
          --seed N            seed of the binomial thinning of real scans (default 1)
          --max-views N       use only the first N views of each set (quick runs)
          --write-doc PATH    also write the table into PATH between its evaluation-table markers
        """;

    public string? Simulated { get; private set; }
    public List<string> Real { get; } = [];
    public List<string> Levels { get; private set; } = ["50", "25"];
    public bool Tune { get; private set; }
    public string? Model { get; private set; }
    public string? CountsModel { get; private set; }
    public int Threads { get; private set; } = Environment.ProcessorCount;
    public int Seed { get; private set; } = 1;
    public int MaxViews { get; private set; } = int.MaxValue;
    public string? WriteDoc { get; private set; }

    public static EvaluationOptions Parse(IReadOnlyList<string> args)
    {
        var o = new EvaluationOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Number() => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n : throw new ArgumentException($"{args[i - 1]} needs a positive whole number.");
            switch (args[i])
            {
                case "--simulated": o.Simulated = Value(); break;
                case "--real": o.Real.Add(Value()); break;
                case "--levels":
                    o.Levels = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
                    if (o.Levels.Count == 0 || o.Levels.Any(l => !int.TryParse(l, out var p) || p is <= 0 or > 100))
                        throw new ArgumentException("--levels takes percentages from 1 to 100, e.g. 50,25.");
                    break;
                case "--tune": o.Tune = true; break;
                case "--model": o.Model = Value(); break;
                case "--counts-model": o.CountsModel = Value(); break;
                case "--threads": o.Threads = Number(); break;
                case "--seed": o.Seed = Number(); break;
                case "--max-views": o.MaxViews = Number(); break;
                case "--write-doc": o.WriteDoc = Value(); break;
                default: throw new ArgumentException($"Unknown argument {args[i]}.");
            }
        }
        if (o.Simulated is null && o.Real.Count == 0) throw new ArgumentException("Give --simulated DIR and/or --real FILE.");
        if (o.Tune && o.Simulated is null) throw new ArgumentException("--tune needs --simulated (tuning uses simulated training views only).");
        return o;
    }
}
