namespace Halflife.Segmentation.Pipeline;

/// <summary>
/// Raw model output to per-class probabilities for one tile, class-major at the tile's size: the activation the card
/// says the caller must apply (sigmoid, softmax or none), a single sigmoid map expanded to background = 1 - p, and
/// an output smaller or larger than the tile (e.g. a decoder at 1/4 resolution) resampled bilinearly.
/// </summary>
internal sealed class OutputDecoder(string activation, int classes, int tileSize)
{
    private int decided; // 0 undecided, 1 apply the activation, 2 the graph already applied it
    private readonly Lock gate = new();

    /// <summary>Raised once when the output already holds probabilities although the card asks for an activation.</summary>
    public event Action<string>? ActivationAlreadyApplied;

    public int Classes => classes;

    public void Decode(TileOutput output, int index, Span<float> probabilities)
    {
        int plane = tileSize * tileSize, channels = output.Channels;
        var expected = classes == 2 && channels == 1 ? 1 : classes;
        if (channels != expected)
            throw new InvalidOperationException($"The model returned {channels} channels; its card promised {expected}.");
        if (probabilities.Length != classes * plane)
            throw new ArgumentException($"Need room for {classes} x {plane} probabilities.", nameof(probabilities));
        var apply = ShouldApply(output);

        // Raw values of this tile, resampled to the tile size, into the class planes (the one-channel case into plane 1).
        var first = channels == 1 ? 1 : 0;
        for (var c = 0; c < channels; c++)
            Sample(output, index, c, probabilities.Slice((first + c) * plane, plane));

        var kind = apply ? activation : "none";
        if (channels == 1)
        {
            var p = probabilities.Slice(plane, plane);
            var background = probabilities[..plane];
            for (var i = 0; i < plane; i++)
            {
                var v = kind == "sigmoid" ? Sigmoid(p[i]) : Math.Clamp(p[i], 0f, 1f);
                p[i] = v;
                background[i] = 1f - v;
            }

            return;
        }

        if (kind == "softmax")
        {
            for (var i = 0; i < plane; i++)
            {
                var max = float.NegativeInfinity;
                for (var c = 0; c < channels; c++) max = Math.Max(max, probabilities[(c * plane) + i]);
                var sum = 0f;
                for (var c = 0; c < channels; c++) sum += probabilities[(c * plane) + i] = MathF.Exp(probabilities[(c * plane) + i] - max);
                for (var c = 0; c < channels; c++) probabilities[(c * plane) + i] /= sum;
            }
        }
        else
        {
            for (var i = 0; i < probabilities.Length; i++)
                probabilities[i] = kind == "sigmoid" ? Sigmoid(probabilities[i]) : Math.Clamp(probabilities[i], 0f, 1f);
        }
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>
    /// docs/models.md reads a card's output activation as "already applied by the graph", the segmentation contract as
    /// "the caller must apply": a card written to either must work. Applying sigmoid to probabilities would push every
    /// pixel above 0.5, so the first batch decides once per job: values already in 0..1 (and summing to 1 across
    /// channels, for softmax) are probabilities, and the activation is not applied again. Logits of a real batch
    /// essentially never all fall in 0..1.
    /// </summary>
    private bool ShouldApply(TileOutput output)
    {
        if (activation == "none") return false;
        if (Volatile.Read(ref decided) is var known && known != 0) return known == 1;
        lock (gate)
        {
            if (decided == 0)
            {
                var probabilities = output.Values.All(v => v is >= 0f and <= 1f) && (activation == "sigmoid" || SumsToOne(output));
                decided = probabilities ? 2 : 1;
                if (probabilities) ActivationAlreadyApplied?.Invoke(activation);
            }

            return decided == 1;
        }
    }

    private static bool SumsToOne(TileOutput o)
    {
        int plane = o.Height * o.Width, channels = o.Channels;
        for (var n = 0; n < o.Batch; n++)
            for (var i = 0; i < plane; i++)
            {
                var sum = 0f;
                for (var c = 0; c < channels; c++)
                    sum += o.Values[o.ChannelsLast ? (((n * plane) + i) * channels) + c : (((n * channels) + c) * plane) + i];
                if (Math.Abs(sum - 1f) > 1e-3f) return false;
            }

        return true;
    }

    private void Sample(TileOutput o, int n, int c, Span<float> target)
    {
        int h = o.Height, w = o.Width, channels = o.Channels;
        int Index(int y, int x) => o.ChannelsLast ? (((((n * h) + y) * w) + x) * channels) + c : (((((n * channels) + c) * h) + y) * w) + x;
        if (h == tileSize && w == tileSize)
        {
            for (var y = 0; y < h; y++)
                for (var x = 0; x < w; x++)
                    target[(y * w) + x] = o.Values[Index(y, x)];
            return;
        }

        // Pixel centres of the tile mapped onto the output grid (align_corners = false).
        for (var y = 0; y < tileSize; y++)
        {
            var sy = Math.Clamp(((y + 0.5f) * h / tileSize) - 0.5f, 0f, h - 1);
            int y0 = (int)sy, y1 = Math.Min(y0 + 1, h - 1);
            var fy = sy - y0;
            for (var x = 0; x < tileSize; x++)
            {
                var sx = Math.Clamp(((x + 0.5f) * w / tileSize) - 0.5f, 0f, w - 1);
                int x0 = (int)sx, x1 = Math.Min(x0 + 1, w - 1);
                var fx = sx - x0;
                var top = (o.Values[Index(y0, x0)] * (1 - fx)) + (o.Values[Index(y0, x1)] * fx);
                var bottom = (o.Values[Index(y1, x0)] * (1 - fx)) + (o.Values[Index(y1, x1)] * fx);
                target[(y * tileSize) + x] = (top * (1 - fy)) + (bottom * fy);
            }
        }
    }
}
