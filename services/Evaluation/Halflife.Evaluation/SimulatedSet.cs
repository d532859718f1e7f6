using System.Text.Json;

namespace Halflife.Evaluation;

/// <summary>
/// The simulated views exported by training/restore/export_eval.py: a "tune" set (training studies) and a "test"
/// set (held-out studies), each view with its noise-free 4 h reference, its lesions, the 2 h Poisson inputs at each
/// count level ("counts") and, in newer exports, its full-count 4 h acquisition binomially thinned to each level
/// ("late": what thinning a real 4 h scan gives), and the noise-free 2 h and 4 h views at the full 4 h level
/// ("expected_2h", "expected_4h"), from which the evaluation tells which lesions an input can show at all.
/// </summary>
public sealed class SimulatedSet
{
    private readonly string _folder;
    private readonly JsonElement _sets;

    private SimulatedSet(string folder, JsonElement sets, IReadOnlyList<string> levels)
    {
        _folder = folder;
        _sets = sets;
        Levels = levels;
    }

    /// <summary>Count levels in percent of the 4 h level, as the export names them ("50", "25").</summary>
    public IReadOnlyList<string> Levels { get; }

    public static SimulatedSet Open(string folder)
    {
        var manifest = Path.Combine(folder, "manifest.json");
        if (!File.Exists(manifest))
            throw new FileNotFoundException($"{folder} has no manifest.json; export it with /usr/bin/python3 -m training.restore.export_eval --out {folder}", manifest);
        using var json = JsonDocument.Parse(File.ReadAllBytes(manifest));
        var root = json.RootElement.Clone();
        var levels = root.GetProperty("fractions").EnumerateArray()
            .Select(f => ((int)Math.Round(f.GetDouble() * 100)).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return new SimulatedSet(folder, root.GetProperty("sets"), levels);
    }

    public const string EarlyInput = "counts";
    public const string LateInput = "late";

    public bool Has(string set) => _sets.TryGetProperty(set, out _);

    /// <summary>Whether every view of the set has inputs of this kind (<see cref="EarlyInput"/> or <see cref="LateInput"/>).</summary>
    public bool HasInput(string set, string input) =>
        _sets.TryGetProperty(set, out var views) && views.EnumerateArray().All(v => v.TryGetProperty(input, out _));

    public IReadOnlyList<EvaluationView> Views(string set, string level, string input = EarlyInput)
    {
        if (!_sets.TryGetProperty(set, out var views)) throw new InvalidDataException($"The simulated export has no \"{set}\" set.");
        var result = new List<EvaluationView>();
        foreach (var view in views.EnumerateArray())
        {
            var name = view.GetProperty("name").GetString()!;
            if (!view.TryGetProperty(input, out var inputs) || !inputs.TryGetProperty(level, out var file))
                throw new InvalidDataException($"{name} has no \"{input}\" input at {level} %; re-export the views (training/evaluate.sh does when the manifest is gone).");
            var counts = Load(file.GetString()!, out var rows, out var columns);
            var reference = Load(view.GetProperty("target").GetString()!, out var refRows, out var refColumns);
            if ((rows, columns) != (refRows, refColumns)) throw new InvalidDataException($"{name}: input and reference differ in size.");
            float[]? full = view.TryGetProperty("full", out var f) ? Load(f.GetString()!, out _, out _) : null;
            // The input's expected counts: the noise-free view of its time point (2 h for "counts", 4 h for "late") at the level.
            var expectedKey = input == LateInput ? "expected_4h" : "expected_2h";
            float[]? expected = view.TryGetProperty(expectedKey, out var e)
                ? Scaled(Load(e.GetString()!, out _, out _), int.Parse(level, System.Globalization.CultureInfo.InvariantCulture) / 100f)
                : null;
            var lesions = view.GetProperty("lesions").EnumerateArray()
                .Select(l => new Lesion(l[0].GetDouble(), l[1].GetDouble(), l[2].GetDouble())).ToList();
            result.Add(new EvaluationView(name, columns, rows, counts, reference, lesions, full, expected));
        }
        return result;
    }

    private static float[] Scaled(float[] values, float factor)
    {
        for (var i = 0; i < values.Length; i++) values[i] *= factor;
        return values;
    }

    private float[] Load(string file, out int rows, out int columns)
    {
        // The manifest names files beside it; refuse anything that would leave the folder.
        if (Path.GetFileName(file) != file) throw new InvalidDataException($"manifest names a file outside its folder: {file}");
        var (values, r, c) = NpyArray.Read(Path.Combine(_folder, file));
        (rows, columns) = (r, c);
        return values;
    }
}
