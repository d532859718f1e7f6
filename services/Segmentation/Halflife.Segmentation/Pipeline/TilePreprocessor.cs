using Halflife.Inference;

namespace Halflife.Segmentation.Pipeline;

/// <summary>
/// BGRA tiles to the model's input tensor: channel order, layout, scaling and element type as the card says, padded
/// with zero tiles up to a fixed batch size.
/// </summary>
internal static class TilePreprocessor
{
    public static TileTensor Prepare(SegmentationModelSpec spec, IReadOnlyList<byte[]> tiles)
    {
        var count = tiles.Count;
        if (count == 0) throw new ArgumentException("A batch needs at least one tile.", nameof(tiles));
        var batch = spec.FixedBatch ?? count;
        if (count > batch) throw new ArgumentException($"{count} tiles exceed the model's fixed batch of {batch}.", nameof(tiles));
        int size = spec.TileSize, channels = spec.InputChannels, plane = size * size;
        long[] shape = spec.ChannelsLast ? [batch, size, size, channels] : [batch, channels, size, size];
        var values = new float[batch * channels * plane];
        for (var i = 0; i < count; i++)
        {
            var tile = tiles[i];
            if (tile.Length != plane * 4) throw new ArgumentException($"Tile {i} has {tile.Length} bytes; {size}x{size} BGRA needs {plane * 4}.", nameof(tiles));
            Fill(spec, tile, values.AsSpan(i * channels * plane, channels * plane), plane);
        }

        Array data = spec.InputType switch
        {
            TensorElementType.Float => values,
            TensorElementType.Float16 => Array.ConvertAll(values, v => (Half)v),
            TensorElementType.Double => Array.ConvertAll(values, v => (double)v),
            TensorElementType.UInt8 => Array.ConvertAll(values, v => (byte)Math.Clamp(MathF.Round(v), 0, 255)),
            _ => throw new ModelNotRunnableException($"input element type {spec.InputType} is not supported."),
        };
        return new TileTensor(data, shape, count, tiles);
    }

    private static void Fill(SegmentationModelSpec spec, byte[] bgra, Span<float> target, int plane)
    {
        var sources = spec.ChannelSources;
        var channels = sources.Length;
        var multiply = spec.Scaling.Multiply;
        var add = spec.Scaling.Add;
        for (var c = 0; c < channels; c++)
        {
            var source = sources[c];
            float m = multiply[c], a = add[c];
            for (var p = 0; p < plane; p++)
            {
                var q = p * 4;
                float v = source switch
                {
                    0 => bgra[q + 2],
                    1 => bgra[q + 1],
                    2 => bgra[q],
                    3 => 255f,
                    _ => (0.299f * bgra[q + 2]) + (0.587f * bgra[q + 1]) + (0.114f * bgra[q]),
                };
                // Channels-first writes one plane per channel; channels-last interleaves.
                target[spec.ChannelsLast ? (p * channels) + c : (c * plane) + p] = (v * m) + a;
            }
        }

        if (spec.Scaling.PerTileMean)
        {
            var sum = 0.0;
            foreach (var v in target) sum += v;
            var inverse = sum > 0 ? (float)(target.Length / sum) : 0f;
            foreach (ref var v in target) v *= inverse;
        }
    }
}
