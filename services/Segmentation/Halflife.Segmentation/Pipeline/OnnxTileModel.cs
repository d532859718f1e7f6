using Halflife.Inference;

namespace Halflife.Segmentation.Pipeline;

/// <summary>A segmentation model run through Halflife.Inference as its card describes it.</summary>
internal sealed class OnnxTileModel(SegmentationModelSpec spec, InferenceSession session) : ITileModel
{
    public int TileSize => spec.TileSize;

    public int Overlap => spec.Overlap;

    public double? MicronsPerPixel => spec.MicronsPerPixel;

    public IReadOnlyList<string> Classes => spec.Classes;

    public bool HasBackground => spec.HasBackground;

    public string Activation => spec.Activation;

    public int BatchSizeFor(int requested) => spec.FixedBatch ?? Math.Max(1, requested);

    public TileTensor Prepare(IReadOnlyList<byte[]> tiles) => TilePreprocessor.Prepare(spec, tiles);

    public TileOutput Run(TileTensor input)
    {
        using var tensor = input.Data switch
        {
            float[] f => OrtValue.CreateTensorValueFromMemory(f, input.Shape),
            Half[] h => OrtValue.CreateTensorValueFromMemory(h, input.Shape),
            double[] d => OrtValue.CreateTensorValueFromMemory(d, input.Shape),
            byte[] b => OrtValue.CreateTensorValueFromMemory(b, input.Shape),
            _ => throw new InvalidOperationException($"Unsupported tensor buffer {input.Data.GetType()}."),
        };
        using var outputs = session.Run(null, [spec.InputName], [tensor], [spec.OutputName]);
        var output = outputs[0];
        var info = output.GetTensorTypeAndShape();
        var rank = spec.TileLevelOutput ? 2 : 4;
        if (info.Shape.Length != rank)
            throw new InvalidOperationException($"Output '{spec.OutputName}' has shape [{string.Join(',', info.Shape)}]; rank {rank} was expected.");
        var values = info.ElementDataType switch
        {
            TensorElementType.Float => output.ToArray<float>(),
            TensorElementType.Float16 => Array.ConvertAll(output.ToArray<Half>(), v => (float)v),
            TensorElementType.Double => Array.ConvertAll(output.ToArray<double>(), v => (float)v),
            _ => throw new InvalidOperationException($"Output '{spec.OutputName}' holds {info.ElementDataType}; float32, float16 or float64 was expected."),
        };
        var s = info.Shape;
        var last = spec.OutputChannelsLast;
        if (s[0] < input.Count)
            throw new InvalidOperationException($"The model returned {s[0]} maps for {input.Count} tiles.");
        // A tile classifier's [N, classes] is a 1 x 1 map per tile, which the decoder stretches over the tile.
        if (spec.TileLevelOutput) return new TileOutput(values, (int)s[0], (int)s[1], 1, 1, true);
        return new TileOutput(values, (int)s[0], (int)s[last ? 3 : 1], (int)s[last ? 1 : 2], (int)s[last ? 2 : 3], last);
    }
}
