using System.Diagnostics;
using Halflife.Inference.Tests.Support;

namespace Halflife.Inference.Tests;

[CollectionDefinition(nameof(MemoryStabilityTests), DisableParallelization = true)]
public sealed class MemoryStabilityCollection;

/// <summary>
/// Long loops must not grow memory: every OrtValue, output list, session and options object frees its native
/// memory. Runs alone so other tests' allocations do not blur the measurement.
/// </summary>
[Trait("Category", "Slow")]
[Collection(nameof(MemoryStabilityTests))]
public sealed class MemoryStabilityTests
{
    private const long AllowedGrowthBytes = 50L * 1024 * 1024;

    [Fact]
    public void Ten_thousand_small_runs_keep_managed_and_native_memory_flat()
    {
        using var session = new InferenceSession(TinyModels.AddFloat);
        var input = new float[1 * 2 * 8 * 8];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = i;
        }

        void RunOnce(int iteration)
        {
            using var value = OrtValue.CreateTensorValueFromMemory(input, [1, 2, 8, 8]);
            using var outputs = session.Run(new Dictionary<string, OrtValue> { ["x"] = value });
            var y = outputs[0].GetTensorDataAsSpan<float>();
            if (y[iteration % y.Length] != input[iteration % y.Length] + 1.5f)
            {
                throw new InvalidOperationException($"wrong result at run {iteration}");
            }
        }

        for (var i = 0; i < 500; i++)
        {
            RunOnce(i); // warm-up: arenas and thread pools reach their working size
        }

        var (rssBefore, managedBefore) = Measure();
        for (var i = 0; i < 10_000; i++)
        {
            RunOnce(i);
        }

        var (rssAfter, managedAfter) = Measure();
        var growth = rssAfter - rssBefore;
        Assert.True(growth < AllowedGrowthBytes, $"RSS grew by {growth / 1024.0 / 1024.0:F1} MiB over 10,000 runs");
        Assert.True(managedAfter - managedBefore < AllowedGrowthBytes, $"managed heap grew by {(managedAfter - managedBefore) / 1024.0 / 1024.0:F1} MiB");
        TestContext.Current.TestOutputHelper?.WriteLine($"10,000 runs: RSS {rssBefore / 1048576.0:F1} -> {rssAfter / 1048576.0:F1} MiB, managed {managedBefore / 1048576.0:F1} -> {managedAfter / 1048576.0:F1} MiB");
    }

    [Fact]
    public void Creating_and_disposing_sessions_repeatedly_keeps_memory_flat()
    {
        var model = File.ReadAllBytes(TinyModels.AddFloat);
        void Cycle()
        {
            using var options = new SessionOptions { IntraOpNumThreads = 1 };
            using var session = new InferenceSession(model, options);
            using var runOptions = new RunOptions();
            using var value = OrtValue.CreateTensorValueFromMemory(new float[4], [1, 2, 1, 2]);
            using var _ = session.Run(runOptions, new Dictionary<string, OrtValue> { ["x"] = value }, ["y"]);
        }

        for (var i = 0; i < 50; i++)
        {
            Cycle();
        }

        var (rssBefore, _) = Measure();
        for (var i = 0; i < 500; i++)
        {
            Cycle();
        }

        var (rssAfter, _) = Measure();
        Assert.True(rssAfter - rssBefore < AllowedGrowthBytes, $"RSS grew by {(rssAfter - rssBefore) / 1048576.0:F1} MiB over 500 sessions");
    }

    [Fact]
    public void Forgotten_values_and_sessions_are_freed_by_their_finalizers()
    {
        var model = File.ReadAllBytes(TinyModels.AddFloat);
        var input = new float[1 * 2 * 64 * 64];

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        void Leak(int sessions)
        {
            // Deliberately never disposed: only the SafeHandle finalizers can release these.
            for (var s = 0; s < sessions; s++)
            {
                var session = new InferenceSession(model);
                for (var r = 0; r < 20; r++)
                {
                    var value = OrtValue.CreateTensorValueFromMemory(input, [1, 2, 64, 64]);
                    _ = session.Run(new Dictionary<string, OrtValue> { ["x"] = value });
                }
            }
        }

        // Each round leaves 100 sessions and 2,000 inputs and 32 KiB outputs to the finalizers: over 60 MiB of native
        // memory per round if they were never freed. The first round sets the allocator's peak; later ones must reuse it.
        Leak(100);
        var (rssBefore, _) = Measure();
        Leak(100);
        Measure();
        Leak(100);
        var (rssAfter, _) = Measure();

        Assert.True(rssAfter - rssBefore < AllowedGrowthBytes, $"RSS grew by {(rssAfter - rssBefore) / 1048576.0:F1} MiB with finalizer-only cleanup");
    }

    private static (long Rss, long Managed) Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        ReturnFreedNativeMemory();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return (process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: true));
    }

    /// <summary>
    /// glibc keeps freed blocks in its per-thread arenas, so RSS after a peak says little about what is still in
    /// use; malloc_trim hands free pages back, and RSS then tracks live memory. Elsewhere this is a no-op.
    /// </summary>
    private static void ReturnFreedNativeMemory()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = malloc_trim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (e.g. musl): measure without trimming.
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
