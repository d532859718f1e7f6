using Halflife.Inference.Tests.Support;

namespace Halflife.Inference.Tests;

/// <summary>float16 and uint8 tensors through tiny models generated with python3-onnx at test time.</summary>
public sealed class TensorTypeTests
{
    [Fact]
    public void Float16_round_trips_bit_for_bit()
    {
        Half[] values =
        [
            (Half)0.0f, -(Half)0.0f, (Half)1.0f, (Half)(-2.5f), Half.MaxValue, Half.MinValue, Half.Epsilon,
            (Half)0.333f, Half.PositiveInfinity, Half.NegativeInfinity, (Half)65000f, (Half)1e-3f,
        ];
        using var session = new InferenceSession(TinyModels.IdentityFloat16);
        Assert.Equal(TensorElementType.Float16, session.InputMetadata["x"].ElementDataType);
        Assert.Equal(typeof(Half), session.OutputMetadata["y"].ElementType);

        using var input = OrtValue.CreateTensorValueFromMemory(values, [1, 2, 2, 3]);
        using var outputs = session.Run(new Dictionary<string, OrtValue> { ["x"] = input });

        var back = outputs[0].ToArray<Half>();
        Assert.Equal(values.Select(BitConverter.HalfToUInt16Bits), back.Select(BitConverter.HalfToUInt16Bits));
    }

    [Fact]
    public void UInt8_converts_to_float_exactly()
    {
        var values = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        using var session = new InferenceSession(TinyModels.CastUInt8ToFloat);
        using var input = OrtValue.CreateTensorValueFromMemory(values, [2, 2, 8, 8]);
        using var outputs = session.Run(new Dictionary<string, OrtValue> { ["x"] = input });

        Assert.Equal(values.Select(v => (float)v), outputs[0].ToArray<float>());
    }

    [Fact]
    public void UInt8_round_trips_as_an_output_type()
    {
        var values = Enumerable.Range(0, 2 * 2 * 3 * 5).Select(i => (byte)(255 - i)).ToArray();
        using var session = new InferenceSession(TinyModels.IdentityUInt8);
        using var input = OrtValue.CreateTensorValueFromMemory(values, [2, 2, 3, 5]);
        using var outputs = session.Run(new Dictionary<string, OrtValue> { ["x"] = input });

        Assert.Equal(values, outputs[0].ToArray<byte>());
        Assert.Equal([2L, 2, 3, 5], outputs[0].GetTensorTypeAndShape().Shape);
    }

    [Fact]
    public void Model_metadata_is_read_from_the_file()
    {
        using var session = new InferenceSession(TinyModels.AddFloat);

        Assert.Equal("halflife-tests", session.ModelMetadata.ProducerName);
        Assert.Equal("add_f32", session.ModelMetadata.GraphName);
        Assert.Equal(7, session.ModelMetadata.Version);
        Assert.Equal("7", session.ModelVersion);
    }

    [Fact]
    public void Reading_a_tensor_as_the_wrong_element_type_is_refused()
    {
        using var value = OrtValue.CreateTensorValueFromMemory(new byte[] { 1, 2, 3, 4 }, [4]);

        var error = Assert.Throws<OnnxRuntimeException>(() => value.GetTensorDataAsSpan<float>().Length);
        Assert.Contains("UInt8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writes_through_the_mutable_span_reach_the_wrapped_array()
    {
        var data = new float[] { 1, 2, 3 };
        using var value = OrtValue.CreateTensorValueFromMemory(data, [3]);

        value.GetTensorMutableDataAsSpan<float>()[1] = 42;

        Assert.Equal(42, data[1]);
    }
}
