using System.Runtime.InteropServices;
using Halflife.Inference.Native;

namespace Halflife.Inference.Tests;

public sealed class NativeLibraryTests
{
    [Fact]
    public void Build_copies_the_native_library_beside_the_test_output()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            Assert.Skip("the build fetches the linux-x64 library only");
        }

        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "libonnxruntime.so.1")));
    }

    [Fact]
    public void Environment_reports_the_fetched_version()
    {
        Assert.Equal(OnnxRuntimeLibrary.BundledVersion, OrtEnv.Instance().Version);
    }

    [Fact]
    public void Library_is_loaded_from_the_first_candidate_that_exists()
    {
        _ = OrtEnv.Instance().Version;
        var first = OnnxRuntimeLibrary.Candidates().First(File.Exists);
        Assert.Equal(first, OrtEnv.Instance().LibraryPath);
    }

    [Fact]
    public void Build_info_is_read_through_the_highest_table_slot_we_use()
    {
        // GetBuildInfoString sits at slot 254; a miscount anywhere below would call some other function here.
        var info = OrtEnv.Instance().BuildInfo;
        Assert.StartsWith("ORT Build Info", info, StringComparison.Ordinal);
    }

    [Fact]
    public void Available_providers_include_cpu()
    {
        Assert.Contains(ExecutionProviders.Cpu, OrtEnv.Instance().GetAvailableProviders());
    }
}
