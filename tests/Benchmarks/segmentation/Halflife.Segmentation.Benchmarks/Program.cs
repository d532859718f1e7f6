using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Halflife.Imaging.Slides;
using Halflife.Inference;
using Halflife.Models.Cards;
using Halflife.Segmentation.Benchmarks;
using Halflife.Segmentation.Pipeline;
using SessionOptions = Halflife.Inference.SessionOptions;

// Whole-slide segmentation on CPU, in one process and one run (tests/Benchmarks/segmentation/run.sh):
//  - the pipeline (SegmentationRunner: tissue detection, background tiles skipped, batches read and preprocessed while
//    the previous batch is inferred, blended blocks) at each batch size;
//  - the prototype's plain loop: for every tile (no tissue detection) read -> preprocess -> run batch 1 -> write.
// Each configuration: one untimed warm-up, then <repeats> timed runs; the median is reported. Prints one JSON object.
//   Halflife.Segmentation.Benchmarks <model.onnx> <card.json> <slide> <threads> <repeats> <batch sizes, e.g. 1,4,8,16>
if (args.Length < 6)
{
    Console.Error.WriteLine("usage: <model.onnx> <card.json> <slide> <threads> <repeats> <batch sizes>");
    return 2;
}

var (modelPath, cardPath, slidePath) = (args[0], args[1], args[2]);
var threads = int.Parse(args[3], CultureInfo.InvariantCulture);
var repeats = int.Parse(args[4], CultureInfo.InvariantCulture);
var batchSizes = args[5].Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture)).ToArray();

var card = ModelCard.Parse(File.ReadAllBytes(cardPath));
using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
using var session = new InferenceSession(modelPath, options);
using var slide = WholeSlideImage.Open(slidePath);
var runner = new SegmentationRunner();

var pipeline = new List<object>();
foreach (var batch in batchSizes)
{
    var runs = new List<BenchmarkSink>();
    SegmentationResult? result = null;
    for (var i = -1; i < repeats; i++)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sink = new BenchmarkSink();
        result = await runner.RunAsync(new SegmentationRequest(slide, card, session, BatchSize: batch), sink, CancellationToken.None);
        sink.Finish((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
        if (i >= 0) runs.Add(sink);
    }

    var seconds = Median(runs.Select(r => r.Seconds));
    pipeline.Add(new
    {
        batch,
        seconds,
        cpu_seconds = Median(runs.Select(r => r.CpuSeconds)),
        tiles_total = result!.Plan.TilesTotal,
        tiles_inferred = result.TilesInferred,
        tiles_skipped = result.Plan.TilesSkipped,
        inferred_tiles_per_second = result.TilesInferred / seconds,
        slide_tiles_per_second = result.Plan.TilesTotal / seconds,
        first_block_seconds = Median(runs.Select(r => r.FirstBlockSeconds)),
        first_inferred_block_seconds = Median(runs.Select(r => r.FirstInferredBlockSeconds)),
        stages = result.StageTimes.ToDictionary(s => s.Key, s => Math.Round(s.Value.TotalSeconds, 3)),
        polygons = result.Polygons.Count,
    });
}

var plain = new List<double>();
var plainCpu = new List<double>();
var plainTiles = 0;
var plainStages = new Dictionary<string, double>();
for (var i = -1; i < repeats; i++)
{
    var started = Stopwatch.GetTimestamp();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    (plainTiles, plainStages) = PlainLoop.Run(slide, card, session);
    if (i < 0) continue;
    plain.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
    plainCpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
}

var plainSeconds = Median(plain);
Console.WriteLine(JsonSerializer.Serialize(new
{
    model = $"{card.Name} {card.Version}",
    slide = Path.GetFileName(slidePath),
    slide_size = $"{slide.Dimensions.Width}x{slide.Dimensions.Height}",
    threads,
    repeats,
    pipeline,
    plain = new { seconds = plainSeconds, cpu_seconds = Median(plainCpu), tiles = plainTiles, tiles_per_second = plainTiles / plainSeconds, stages = plainStages.ToDictionary(s => s.Key, s => Math.Round(s.Value, 3)) },
}));
return 0;

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
