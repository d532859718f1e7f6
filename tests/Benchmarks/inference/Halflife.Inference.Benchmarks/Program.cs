// Latency of the shared DnCNN denoiser through Halflife.Inference on CPU.
// usage: dotnet run -c Release -- [path/to/dncnn_gray_blind.onnx|""] [iterations] [shapes, e.g. 1x64x64,4x256x256]
// A stopwatch harness rather than BenchmarkDotNet: one model run is milliseconds to seconds, so per-call overhead
// does not matter, and the numbers must come from the exact session settings the services use.
using System.Diagnostics;
using System.Globalization;
using Halflife.Inference;

var modelPath = args.Length > 0 && args[0].Length > 0 ? args[0] : FindSharedModel();
var iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
var shapes = (args.Length > 2 ? args[2] : "1x64x64,1x256x256,4x256x256,1x1024x256")
    .Split(',', StringSplitOptions.RemoveEmptyEntries)
    .Select(s => s.Split('x').Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToArray())
    .Select(d => (N: d[0], H: d[1], W: d[2]))
    .ToArray();
var env = OrtEnv.Instance();
Console.WriteLine($"ONNX Runtime {env.Version} from {env.LibraryPath}; {Environment.ProcessorCount} logical CPUs; model {Path.GetFileName(modelPath)}");
Console.WriteLine("| shape (NxCxHxW) | intra-op threads | median ms | p95 ms | megapixels/s |");
Console.WriteLine("|---|---|---|---|---|");

foreach (var threads in new[] { 1, Environment.ProcessorCount })
{
    using var options = new SessionOptions { IntraOpNumThreads = threads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
    using var session = new InferenceSession(modelPath, options);
    foreach (var (n, h, w) in shapes)
    {
        var pixels = new float[n * h * w];
        var random = new Random(1);
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (float)random.NextDouble();
        }

        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [n, 1, h, w]);
        var inputs = new Dictionary<string, OrtValue> { ["input"] = input };
        for (var i = 0; i < 2; i++)
        {
            using var _ = session.Run(inputs); // warm-up: memory arenas, kernel selection
        }

        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var _ = session.Run(inputs);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(samples);
        var median = samples[iterations / 2];
        var p95 = samples[Math.Min(iterations - 1, (int)Math.Ceiling(iterations * 0.95) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {n}x1x{h}x{w} | {threads} | {median:F2} | {p95:F2} | {n * h * w / 1e6 / (median / 1000):F2} |"));
    }
}

static string FindSharedModel()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "Microservices.sln")))
        {
            return Path.Combine(folder.FullName, "..", "shared", "data", "onnx", "dncnn_gray_blind.onnx");
        }
    }

    throw new FileNotFoundException("Pass the model path: no Microservices.sln above the benchmark.");
}
