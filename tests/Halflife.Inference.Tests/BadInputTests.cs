using System.Text;
using Halflife.Inference.Tests.Support;

namespace Halflife.Inference.Tests;

/// <summary>Wrong models and wrong inputs end in clear exceptions, never a crash.</summary>
public sealed class BadInputTests
{
    [Fact]
    public void Garbage_model_bytes_are_rejected()
    {
        var garbage = Encoding.ASCII.GetBytes("this is not an ONNX model, just some text pretending to be one");

        var error = Assert.Throws<OnnxRuntimeException>(() => new InferenceSession(garbage));
        Assert.Equal(OrtErrorCode.InvalidProtobuf, error.ErrorCode);
    }

    [Fact]
    public void Truncated_model_bytes_are_rejected()
    {
        var model = File.ReadAllBytes(TinyModels.AddFloat);

        Assert.Throws<OnnxRuntimeException>(() => new InferenceSession(model[..(model.Length / 2)]));
    }

    [Fact]
    public void Empty_model_bytes_are_rejected_before_reaching_onnx_runtime()
    {
        Assert.Throws<ArgumentException>(() => new InferenceSession(Array.Empty<byte>()));
    }

    [Fact]
    public void A_missing_model_file_is_reported_with_its_path()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid() + ".onnx");

        var error = Assert.Throws<OnnxRuntimeException>(() => new InferenceSession(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_input_name_lists_the_real_ones()
    {
        using var session = new InferenceSession(TinyModels.AddFloat);
        using var value = OrtValue.CreateTensorValueFromMemory(new float[4], [1, 2, 1, 2]);

        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(new Dictionary<string, OrtValue> { ["image"] = value }));
        Assert.Contains("no input named 'image'; its inputs are: x.", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_input_is_reported_by_name()
    {
        using var session = new InferenceSession(TinyModels.AddFloat);

        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(new Dictionary<string, OrtValue>()));
        Assert.Equal(OrtErrorCode.InvalidArgument, error.ErrorCode);
        Assert.Contains("missing input(s) 'x'", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Disposed_options_cannot_create_a_session()
    {
        var options = new SessionOptions();
        options.Dispose();

        Assert.Throws<ObjectDisposedException>(() => new InferenceSession(TinyModels.AddFloat, options));
    }

    [Fact]
    public void An_unknown_output_name_is_rejected()
    {
        using var session = new InferenceSession(TinyModels.AddFloat);
        using var value = OrtValue.CreateTensorValueFromMemory(new float[4], [1, 2, 1, 2]);

        Assert.Throws<OnnxRuntimeException>(() => session.Run(null, new Dictionary<string, OrtValue> { ["x"] = value }, ["z"]));
    }

    [Fact]
    public void A_wrong_rank_is_reported_by_onnx_runtime_with_the_model_name()
    {
        using var session = new InferenceSession(TinyModels.AddFloat);
        using var value = OrtValue.CreateTensorValueFromMemory(new float[8], [2, 2, 2]);

        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(new Dictionary<string, OrtValue> { ["x"] = value }));
        Assert.Equal(OrtErrorCode.InvalidArgument, error.ErrorCode);
        Assert.Contains("add_f32", error.Message, StringComparison.Ordinal);
        Assert.Contains("rank", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_wrong_fixed_dimension_is_reported()
    {
        using var session = new InferenceSession(TinyModels.AddFloat);
        using var value = OrtValue.CreateTensorValueFromMemory(new float[12], [1, 3, 2, 2]); // channel must be 2

        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(new Dictionary<string, OrtValue> { ["x"] = value }));
        Assert.Contains("dimensions", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_wrong_element_type_is_reported()
    {
        using var session = new InferenceSession(TinyModels.IdentityFloat16);
        using var value = OrtValue.CreateTensorValueFromMemory(new float[4], [1, 2, 1, 2]);

        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(new Dictionary<string, OrtValue> { ["x"] = value }));
        Assert.Contains("float16", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_buffer_that_does_not_fill_the_shape_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => OrtValue.CreateTensorValueFromMemory(new float[5], [1, 2, 1, 2]));
        Assert.Throws<ArgumentException>(() => OrtValue.CreateTensorValueFromMemory(new float[4], [-1, 4]));
    }

    [Fact]
    public void Disposed_objects_refuse_further_use_and_tolerate_a_second_dispose()
    {
        var session = new InferenceSession(TinyModels.AddFloat);
        var value = OrtValue.CreateTensorValueFromMemory(new float[4], [1, 2, 1, 2]);
        value.Dispose();
        value.Dispose();

        Assert.Throws<ObjectDisposedException>(() => session.Run(new Dictionary<string, OrtValue> { ["x"] = value }));
        Assert.Throws<ObjectDisposedException>(() => value.GetTensorTypeAndShape());
        session.Dispose();
        session.Dispose();
        using var fresh = OrtValue.CreateTensorValueFromMemory(new float[4], [1, 2, 1, 2]);
        Assert.Throws<ObjectDisposedException>(() => session.Run(new Dictionary<string, OrtValue> { ["x"] = fresh }));
    }

    [Fact]
    public void A_terminated_run_fails_instead_of_running()
    {
        using var session = new InferenceSession(TinyModels.AddFloat);
        using var value = OrtValue.CreateTensorValueFromMemory(new float[4], [1, 2, 1, 2]);
        using var runOptions = new RunOptions { RunTag = "cancelled-job", Terminate = true };

        Assert.Throws<OnnxRuntimeException>(() => session.Run(runOptions, new Dictionary<string, OrtValue> { ["x"] = value }, ["y"]));

        runOptions.Terminate = false;
        using var outputs = session.Run(runOptions, new Dictionary<string, OrtValue> { ["x"] = value }, ["y"]);
        Assert.Equal([1.5f, 1.5f, 1.5f, 1.5f], outputs[0].ToArray<float>());
    }
}
