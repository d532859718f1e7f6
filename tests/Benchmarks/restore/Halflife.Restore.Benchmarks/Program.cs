using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Halflife.Dicom;
using Halflife.Dicom.Imaging;
using Halflife.Inference;
using Halflife.Models.Loading;
using SessionOptions = Halflife.Inference.SessionOptions;

// `serve <args>`: the embedded default's Ingest, Models and Restore modules in one process (the Standalone host's
// code path without the other services), for the end-to-end measurement of run.sh.
if (args.Length > 0 && args[0] == "serve")
{
    var app = Halflife.ServiceDefaults.Hosting.HalflifeApplication.Create(args[1..], "halflife-restore-bench",
        [new Halflife.Ingest.IngestModule(), new Halflife.Models.ModelsModule(), new Halflife.Restore.RestoreModule()]);
    await Halflife.ServiceDefaults.Hosting.HalflifeApplication.RunHalflifeAsync(app);
    return 0;
}

// Inference latency of the bone-restore model through Halflife.Inference (ONNX Runtime C API), on the views of one
// NM scan, pre-processed as Restore does (counts / mean). Prints one JSON object; with an output path it also writes
// the first view's model output (float32, little endian) so the PyTorch run can be checked against it.
//   Halflife.Restore.Benchmarks <model folder> <scan.dcm> <threads> <runs> [output.f32]
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: <model folder> <scan.dcm> <threads> <runs> [output.f32]");
    return 2;
}
var (folder, scan, threads, runs) = (args[0], args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture));

using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
var loadStarted = Stopwatch.GetTimestamp();
var model = await LoadedModel.OpenFolderAsync(folder, options);
var loadMs = Stopwatch.GetElapsedTime(loadStarted).TotalMilliseconds;
using var lease = model.Lease();

var dataset = DicomFile.Open(scan).Dataset;
var pixels = DicomPixelData.Create(dataset);
var views = Enumerable.Range(0, pixels.NumberOfFrames).Select(f =>
{
    var counts = pixels.GetFrameValues(f);
    var mean = counts.Average();
    return counts.Select(v => (float)(v / mean)).ToArray();
}).ToList();
int height = pixels.Height, width = pixels.Width;

double[] Measure(int batch, Func<float[]> input)
{
    var data = input();
    var times = new double[runs];
    for (var i = -2; i < runs; i++) // two warm-up runs
    {
        var started = Stopwatch.GetTimestamp();
        using var tensor = OrtValue.CreateTensorValueFromMemory(data, [batch, 1, height, width]);
        using var output = lease.Session.Run(null, ["input"], [tensor], ["output"]);
        if (i >= 0) times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
    return times;
}

var perView = Measure(1, () => views[0]);
var perScan = Measure(views.Count, () => views.SelectMany(v => v).ToArray());

if (args.Length > 4)
{
    using var tensor = OrtValue.CreateTensorValueFromMemory(views[0], [1, 1, height, width]);
    using var output = lease.Session.Run(null, ["input"], [tensor], ["output"]);
    var values = output[0].ToArray<float>();
    var bytes = new byte[values.Length * 4];
    Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
    await File.WriteAllBytesAsync(args[4], bytes);
}

Console.WriteLine(JsonSerializer.Serialize(new
{
    runtime = $"ONNX Runtime {OrtEnv.Instance().Version} (Halflife.Inference, C API)",
    provider = lease.Session.Provider,
    threads,
    runs,
    shape_view = $"1x1x{height}x{width}",
    shape_scan = $"{views.Count}x1x{height}x{width}",
    load_ms = loadMs,
    view_ms = Stats(perView),
    scan_ms = Stats(perScan),
}));
return 0;

static object Stats(double[] times)
{
    var sorted = times.Order().ToArray();
    double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    return new { p50 = At(0.5), p95 = At(0.95), min = sorted[0], mean = sorted.Average() };
}
