using System.Text.Json;
using Halflife.Dicom;
using Halflife.Dicom.Imaging;

namespace Halflife.Evaluation;

/// <summary>
/// Real NM scans as evaluation views: each frame (view) is the full-count reference, and binomial thinning at the
/// count level makes the low-count input (seeded per file, frame and level). Lesions, when known, come from a JSON
/// file beside the scan (<c>&lt;scan&gt;.lesions.json</c>: <c>[{"frame": 0, "row": .., "column": .., "radius": ..}]</c>,
/// pixels); otherwise contrast recovery is not measured on that scan. The full-count frame stays with the view
/// (<see cref="EvaluationView.FullCount"/>) for scoring against the held-out counts (<see cref="CountSplitting"/>).
/// </summary>
public static class RealScans
{
    public static IReadOnlyList<EvaluationView> Views(IEnumerable<string> files, double fraction, int seed)
    {
        var views = new List<EvaluationView>();
        foreach (var file in files)
        {
            var dataset = DicomFile.Open(file).Dataset;
            var modality = dataset.TryGetString(DicomTag.Modality, out var m) ? m : "";
            if (!string.Equals(modality, "NM", StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"{file}: modality {modality}, not NM.");
            var pixels = DicomPixelData.Create(dataset);
            if (pixels.SamplesPerPixel != 1) throw new InvalidDataException($"{file}: {pixels.SamplesPerPixel} samples per pixel.");
            var slope = dataset.GetSingleValueOrDefault(DicomTag.RescaleSlope, 1.0);
            var intercept = dataset.GetSingleValueOrDefault(DicomTag.RescaleIntercept, 0.0);
            var lesions = ReadLesions(file);
            for (var frame = 0; frame < pixels.NumberOfFrames; frame++)
            {
                var full = pixels.GetFrameValues(frame).Select(v => (float)(v * slope + intercept)).ToArray();
                var random = new Random(StableSeed(seed, Path.GetFileName(file), frame, fraction));
                var low = CountThinning.Thin(full, fraction, random);
                views.Add(new EvaluationView($"{Path.GetFileName(file)}#{frame}", pixels.Width, pixels.Height, low,
                    Methods.Normalised(full), lesions.Where(l => l.Frame == frame).Select(l => l.Lesion).ToList(), full,
                    // The expected counts of the thinned input, estimated by the full-count frame scaled by p.
                    full.Select(v => (float)(v * fraction)).ToArray()));
            }
        }
        return views;
    }

    /// <summary>A seed that is the same in every run (string.GetHashCode is randomised per process).</summary>
    internal static int StableSeed(int seed, string name, int frame, double fraction)
    {
        var hash = 2166136261u; // FNV-1a
        foreach (var b in System.Text.Encoding.UTF8.GetBytes($"{seed}|{name}|{frame}|{Math.Round(fraction * 1000)}"))
            hash = (hash ^ b) * 16777619u;
        return (int)(hash & 0x7FFFFFFF);
    }

    private static List<(int Frame, Lesion Lesion)> ReadLesions(string file)
    {
        var path = file + ".lesions.json";
        if (!File.Exists(path)) return [];
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        return json.RootElement.EnumerateArray().Select(e => (e.GetProperty("frame").GetInt32(),
            new Lesion(e.GetProperty("row").GetDouble(), e.GetProperty("column").GetDouble(), e.GetProperty("radius").GetDouble()))).ToList();
    }
}
