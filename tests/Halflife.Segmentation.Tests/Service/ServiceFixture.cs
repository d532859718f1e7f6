using Halflife.Testing;

namespace Halflife.Segmentation.Tests.Service;

/// <summary>
/// One host for the service tests (they run one after another in their class), with the H&amp;E test slide uploaded and
/// the small colour models of Models/make_test_models.py uploaded through the model API under the cards below.
/// </summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public const string Slide = "cmu-1-small-region.svs";
    /// <summary>Sigmoid "hematoxylin" (blue &gt; red) at 1 µm/px in 64-pixel tiles: a job of a few hundred tiles.</summary>
    public const string HeModel = "he-test";
    /// <summary>The same graph at 0.5 µm/px in 16-pixel tiles: thousands of tiles, a job long enough to cancel.</summary>
    public const string FineModel = "he-test-fine";
    /// <summary>A CAMELYON16-style third-party card: NHWC, BGR, mean/std, softmax over three classes.</summary>
    public const string ThirdPartyModel = "camelyon-like";
    /// <summary>A valid model whose card says it classifies: refused for segmentation.</summary>
    public const string ClassifierModel = "tile-classifier";

    public SegmentationHost Host { get; private set; } = null!;
    public Guid SlideId { get; private set; }

    public static string SigmoidCard(string name, int tileSize, double micronsPerPixel, string task = "segmentation") => $$"""
        { "name": "{{name}}", "version": "1.0.0", "task": "{{task}}",
          "inputs": [{ "name": "input", "layout": "NCHW", "shape": [-1, 3, -1, -1], "dtype": "float32", "channel_order": "RGB" }],
          "intensity_scaling": { "type": "range", "min": 0, "max": 255 },
          "outputs": [{ "name": "mask", "layout": "NCHW", "shape": [-1, 1, -1, -1], "activation": "sigmoid" }],
          "classes": ["hematoxylin"],
          "tiling": { "tile_size": {{tileSize}}, "microns_per_pixel": {{micronsPerPixel.ToString(System.Globalization.CultureInfo.InvariantCulture)}} } }
        """;

    public const string ThirdPartyCard = """
        { "name": "camelyon-like", "version": "2.1.0", "task": "segmentation",
          "description": "Stands in for a hospital's CAMELYON16 model: channels-last BGR input normalised with mean/std, softmax logits.",
          "inputs": [{ "name": "image", "layout": "NHWC", "shape": [-1, -1, -1, 3], "dtype": "float32", "channel_order": "BGR",
                       "scaling": { "type": "mean_std", "min": 0, "max": 255, "mean": [0.2, 0.5, 0.8], "std": [0.25, 0.25, 0.25] } }],
          "outputs": [{ "name": "logits", "layout": "NHWC", "shape": [-1, -1, -1, 3], "activation": "softmax",
                        "classes": ["background", "hematoxylin", "eosin"] }],
          "tiling": { "tile_size": 96, "overlap": 12, "microns_per_pixel": 1.0 } }
        """;

    public async ValueTask InitializeAsync()
    {
        var models = ServiceModels.Folder();
        Host = await SegmentationHost.StartAsync();
        SlideId = await Host.UploadSlideAsync(Slide);
        var sigmoid = Path.Combine(models, "nchw_rgb_range_sigmoid.onnx");
        await Host.UploadModelAsync(sigmoid, SigmoidCard(HeModel, 64, 1.0));
        await Host.UploadModelAsync(sigmoid, SigmoidCard(FineModel, 16, 0.5));
        await Host.UploadModelAsync(sigmoid, SigmoidCard(ClassifierModel, 64, 1.0, task: "classification"));
        await Host.UploadModelAsync(Path.Combine(models, "nhwc_bgr_meanstd_softmax3.onnx"), ThirdPartyCard);
    }

    public async ValueTask DisposeAsync()
    {
        if (Host is not null) await Host.DisposeAsync();
    }
}

/// <summary>The service test classes share one host and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "segmentation service";
}

/// <summary>Builds the test models once per run with Debian's python3-onnx (missing: fails under CI=true, else skips).</summary>
internal static class ServiceModels
{
    private static readonly Lazy<string?> Built = new(Build);

    public static string Folder()
    {
        if (Built.Value is null) TestServers.Unavailable("python3-onnx for /usr/bin/python3 (apt python3-onnx python3-numpy), which builds the test models");
        return Built.Value!;
    }

    private static string? Build()
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python) || ExternalTools.Run(python, "-c", "import onnx, numpy").ExitCode != 0) return null;
        var folder = Path.Combine(Path.GetTempPath(), $"halflife-seg-service-models-{Environment.ProcessId}");
        var (exit, output, error) = ExternalTools.Run(python, Path.Combine(AppContext.BaseDirectory, "Models", "make_test_models.py"), folder);
        Assert.True(exit == 0, $"make_test_models.py failed: {output} {error}");
        return folder;
    }
}
