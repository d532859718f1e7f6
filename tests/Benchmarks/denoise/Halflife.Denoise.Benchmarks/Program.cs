using System.Diagnostics;
using Halflife.Denoise.Filtering;

// Time of Anscombe + non-local means on a synthetic 256x1024 whole-body-sized view of Poisson counts, per thread count.
// Usage: dotnet run -c Release --project tests/Benchmarks/denoise/Halflife.Denoise.Benchmarks -- [repetitions] [threads...]
const int Width = 256, Height = 1024;
var repetitions = args.Length > 0 ? int.Parse(args[0]) : 5;
var threadCounts = args.Length > 1 ? args.Skip(1).Select(int.Parse).ToArray() : [1, Environment.ProcessorCount];

var random = new Random(42);
var counts = new float[Width * Height];
for (var y = 0; y < Height; y++)
    for (var x = 0; x < Width; x++)
    {
        // A body-like column of 3-12 counts per pixel with a few brighter "bones"; Poisson by inversion.
        double mean = Math.Abs(x - Width / 2) < 70 ? 3 + 9 * (x % 37 < 6 ? 1 : 0) + (y % 101 < 8 ? 6 : 0) : 0.2;
        var k = 0;
        for (double p = Math.Exp(-mean), s = p, u = random.NextDouble(); u > s; k++) { p *= mean / (k + 1); s += p; }
        counts[y * Width + x] = k;
    }

Console.WriteLine($"Anscombe + NLM {PoissonDenoiser.DefaultParameters} on {Width}x{Height}, {Environment.ProcessorCount} processors");
PoissonDenoiser.Denoise(counts, Width, Height, PoissonDenoiser.DefaultParameters); // warm-up (JIT)
foreach (var threads in threadCounts)
{
    var times = new List<double>();
    var cpu = new List<double>();
    var process = Process.GetCurrentProcess();
    for (var r = 0; r < repetitions; r++)
    {
        process.Refresh();
        var cpuStart = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        PoissonDenoiser.Denoise(counts, Width, Height, PoissonDenoiser.DefaultParameters, threads);
        times.Add(clock.Elapsed.TotalMilliseconds);
        process.Refresh();
        cpu.Add((process.TotalProcessorTime - cpuStart).TotalMilliseconds);
    }
    times.Sort();
    cpu.Sort();
    // On a shared machine the wall time includes waiting for a core; the CPU time is the work itself.
    Console.WriteLine($"threads {threads}: wall median {times[times.Count / 2]:F0} ms (best {times[0]:F0}, worst {times[^1]:F0}); " +
                      $"CPU median {cpu[cpu.Count / 2]:F0} ms ({repetitions} runs, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
}
