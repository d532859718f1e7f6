using System.Diagnostics;
using System.Globalization;
using System.Xml.Linq;

namespace Halflife.Benchmarks.Tiles;

/// <summary>
/// Requests every tile of a slide's Deep Zoom pyramid in one fixed shuffled order (seed 42) from
/// N concurrent clients: a cold pass (server just started, nothing cached), then warm passes over
/// the same sequence. The same order hits both servers, so the numbers are comparable.
/// </summary>
internal static class TileDriver
{
    public static async Task<int> RunAsync(Options options)
    {
        var baseUrl = options.Required("base"); // e.g. http://127.0.0.1:5080/dzi/cmu-1-small-region
        var concurrency = options.Get("concurrency", 8);
        var warmPasses = options.Get("warm-passes", 3);
        var label = options.Get("label", baseUrl);

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseCookies = false })
        {
            Timeout = TimeSpan.FromMinutes(2),
        };
        var dzi = XDocument.Parse(await client.GetStringAsync(baseUrl + ".dzi"));
        var sequence = TileSequence(dzi);
        var urls = sequence.Select(t => $"{baseUrl}_files/{t.Level}/{t.Column}_{t.Row}.jpeg").ToArray();

        var (cold, coldSeconds) = await PassAsync(client, urls, concurrency);
        Report(label, "cold", concurrency, cold, coldSeconds);
        var warm = new List<Sample>();
        var warmSeconds = 0.0;
        for (var pass = 0; pass < warmPasses; pass++)
        {
            var (samples, seconds) = await PassAsync(client, urls, concurrency);
            warm.AddRange(samples);
            warmSeconds += seconds;
        }

        Report(label, $"warm x{warmPasses}", concurrency, warm, warmSeconds);
        return 0;
    }

    private static List<(int Level, int Column, int Row)> TileSequence(XDocument dzi)
    {
        XNamespace ns = "http://schemas.microsoft.com/deepzoom/2008";
        var image = dzi.Root!;
        var tileSize = int.Parse(image.Attribute("TileSize")!.Value, CultureInfo.InvariantCulture);
        var size = image.Element(ns + "Size")!;
        long width = long.Parse(size.Attribute("Width")!.Value, CultureInfo.InvariantCulture);
        long height = long.Parse(size.Attribute("Height")!.Value, CultureInfo.InvariantCulture);

        var levels = new List<(long W, long H)> { (width, height) };
        while (width > 1 || height > 1)
        {
            width = Math.Max(1, (width + 1) / 2);
            height = Math.Max(1, (height + 1) / 2);
            levels.Add((width, height));
        }

        levels.Reverse();
        var tiles = new List<(int, int, int)>();
        for (var level = 0; level < levels.Count; level++)
        {
            var columns = (int)((levels[level].W + tileSize - 1) / tileSize);
            var rows = (int)((levels[level].H + tileSize - 1) / tileSize);
            for (var row = 0; row < rows; row++)
            {
                for (var column = 0; column < columns; column++)
                {
                    tiles.Add((level, column, row));
                }
            }
        }

        var random = new Random(42);
        return tiles.OrderBy(_ => random.Next()).ToList();
    }

    private static async Task<(List<Sample> Samples, double Seconds)> PassAsync(HttpClient client, string[] urls, int concurrency)
    {
        var samples = new Sample[urls.Length];
        var next = -1;
        var wall = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < urls.Length)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(urls[i]);
                var body = await response.Content.ReadAsByteArrayAsync();
                var ok = response.IsSuccessStatusCode && body.Length > 2 && body[0] == 0xFF && body[1] == 0xD8;
                samples[i] = new Sample(Stopwatch.GetElapsedTime(start).TotalMilliseconds, ok, body.Length);
            }
        }));
        await Task.WhenAll(workers);
        return (samples.ToList(), wall.Elapsed.TotalSeconds);
    }

    private static void Report(string label, string pass, int concurrency, List<Sample> samples, double seconds)
    {
        var latencies = samples.Select(s => s.Milliseconds).Order().ToArray();
        var perSecond = samples.Count / seconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {pass} | {concurrency} | {samples.Count} | {perSecond:F1} | {Percentile(latencies, 0.50):F1} | {Percentile(latencies, 0.99):F1} | {samples.Count(s => !s.Ok)} | {samples.Average(s => s.Bytes) / 1024:F1} |"));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private readonly record struct Sample(double Milliseconds, bool Ok, int Bytes);
}
