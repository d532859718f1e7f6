using Halflife.Inference.Tests.Support;

namespace Halflife.Inference.Tests;

/// <summary>The shared DnCNN denoiser (opset 18, external weights) against an independent numpy evaluation.</summary>
public sealed class SharedDenoiserModelTests
{
    [Fact]
    public void Output_matches_the_numpy_reference_within_1e4()
    {
        PythonOracle.Require();
        const int Height = 32, Width = 32;
        var image = SharedDenoiser.NoisyImage(1, Height, Width, seed: 20261121);

        var folder = Directory.CreateTempSubdirectory("halflife-dncnn-").FullName;
        try
        {
            var inputFile = Path.Combine(folder, "input.raw");
            var referenceFile = Path.Combine(folder, "reference.raw");
            File.WriteAllBytes(inputFile, System.Runtime.InteropServices.MemoryMarshal.AsBytes(image.AsSpan()).ToArray());
            PythonOracle.RunScript("reference_eval.py", SharedDenoiser.ModelPath, "input", inputFile, $"1,1,{Height},{Width}", referenceFile);
            var reference = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(referenceFile)).ToArray();

            using var session = new InferenceSession(SharedDenoiser.ModelPath);
            var output = Denoise(session, image, 1, Height, Width);

            Assert.Equal(reference.Length, output.Length);
            var worst = reference.Zip(output, (r, o) => Math.Abs(r - o)).Max();
            Assert.True(worst < 1e-4, $"largest difference from the reference: {worst}");
            TestContext.Current.TestOutputHelper?.WriteLine($"largest difference from the numpy reference: {worst:E2}");

            // Guard against a trivially passing comparison: the network must actually change the image.
            var change = image.Zip(output, (i, o) => Math.Abs(i - o)).Average();
            Assert.True(change > 0.01, $"mean change {change} is too small for a denoiser on noisy input");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Metadata_reports_names_types_and_dynamic_dimensions()
    {
        using var session = new InferenceSession(SharedDenoiser.ModelPath);

        Assert.Equal(["input"], session.InputNames);
        Assert.Equal(["output"], session.OutputNames);
        var input = session.InputMetadata["input"];
        Assert.True(input.IsTensor);
        Assert.Equal(TensorElementType.Float, input.ElementDataType);
        Assert.Equal(typeof(float), input.ElementType);
        Assert.Equal([-1, 1, -1, -1], input.Dimensions);
        Assert.Equal(["batch", "", "height", "width"], input.SymbolicDimensions);
        Assert.Equal(4, session.OutputMetadata["output"].Dimensions.Length);
        Assert.Equal("dncnn_gray_blind", session.ModelName);
        Assert.Equal(ExecutionProviders.Cpu, session.Provider);
    }

    [Fact]
    public void Loading_from_bytes_with_the_external_data_folder_equals_loading_from_the_path()
    {
        var image = SharedDenoiser.NoisyImage(1, 24, 20, seed: 7);
        using var fromPath = new InferenceSession(SharedDenoiser.ModelPath);
        using var options = new SessionOptions();
        options.SetExternalDataFolder(Path.GetDirectoryName(SharedDenoiser.ModelPath)!);
        using var fromBytes = new InferenceSession(File.ReadAllBytes(SharedDenoiser.ModelPath), options);

        Assert.Equal(Denoise(fromPath, image, 1, 24, 20), Denoise(fromBytes, image, 1, 24, 20));
    }

    [Fact]
    public void Loading_from_bytes_without_the_external_data_folder_fails_clearly()
    {
        var bytes = File.ReadAllBytes(SharedDenoiser.ModelPath);

        var error = Assert.Throws<OnnxRuntimeException>(() => new InferenceSession(bytes));
        Assert.Contains("dncnn_gray_blind.onnx.data", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(SessionOptions.SetExternalDataFolder), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_of_three_equals_three_single_runs()
    {
        const int Height = 16, Width = 24, Pixels = Height * Width;
        var batch = SharedDenoiser.NoisyImage(3, Height, Width, seed: 3);
        using var session = new InferenceSession(SharedDenoiser.ModelPath);

        var batched = Denoise(session, batch, 3, Height, Width);
        for (var i = 0; i < 3; i++)
        {
            var single = Denoise(session, batch.AsSpan(i * Pixels, Pixels).ToArray(), 1, Height, Width);
            var worst = single.Zip(batched.Skip(i * Pixels), (s, b) => Math.Abs(s - b)).Max();
            Assert.True(worst < 1e-5, $"image {i} differs by {worst} between batched and single runs");
        }
    }

    [Fact]
    public void Dynamic_height_and_width_come_back_in_the_output_shape()
    {
        using var session = new InferenceSession(SharedDenoiser.ModelPath);
        using var input = OrtValue.CreateTensorValueFromMemory(SharedDenoiser.NoisyImage(2, 17, 23, seed: 1), [2, 1, 17, 23]);
        using var outputs = session.Run(new Dictionary<string, OrtValue> { ["input"] = input });

        var info = outputs[0].GetTensorTypeAndShape();
        Assert.Equal([2L, 1, 17, 23], info.Shape);
        Assert.Equal(TensorElementType.Float, info.ElementDataType);
        Assert.Equal(2 * 17 * 23, info.ElementCount);
    }

    [Fact]
    public void Thread_and_optimisation_settings_do_not_change_the_result()
    {
        var image = SharedDenoiser.NoisyImage(1, 20, 20, seed: 11);
        using var defaults = new InferenceSession(SharedDenoiser.ModelPath);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL,
        };
        using var tuned = new InferenceSession(SharedDenoiser.ModelPath, options);

        Assert.Equal(1, options.IntraOpNumThreads);
        var worst = Denoise(defaults, image, 1, 20, 20).Zip(Denoise(tuned, image, 1, 20, 20), (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst < 1e-5, $"settings changed the output by {worst}");
    }

    internal static float[] Denoise(InferenceSession session, float[] image, int n, int height, int width)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(image, [n, 1, height, width]);
        using var outputs = session.Run(null, new Dictionary<string, OrtValue> { ["input"] = input }, ["output"]);
        return outputs[0].ToArray<float>();
    }
}
