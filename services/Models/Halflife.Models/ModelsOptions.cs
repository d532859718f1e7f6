using Halflife.Inference;

namespace Halflife.Models;

/// <summary>Configuration section "Models".</summary>
public sealed class ModelsOptions
{
    public const string Section = "Models";

    /// <summary>Largest ONNX file (and largest external data file) an upload may carry.</summary>
    public long MaxModelBytes { get; set; } = 2L * 1024 * 1024 * 1024;
    public int MaxCardBytes { get; set; } = 256 * 1024;
    public int MaxDataFiles { get; set; } = 16;

    /// <summary>
    /// How long a service trusts its cached answer to "which version is active?" before asking the blob store again.
    /// An activation made in the same process takes effect at once; another replica's within this interval.
    /// </summary>
    public TimeSpan ActivePollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Where models are unpacked for ONNX Runtime (relative: under the data directory).</summary>
    public string CachePath { get; set; } = "model-cache";

    public ExecutionProviderPreference ExecutionProvider { get; set; } = ExecutionProviderPreference.PreferCuda;
    public int CudaDeviceId { get; set; }
    /// <summary>Threads inside one operator; 0 lets ONNX Runtime choose (one per physical core).</summary>
    public int IntraOpNumThreads { get; set; }
}
