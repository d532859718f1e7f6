namespace Halflife.Segmentation.Pipeline;

/// <summary>
/// Weight of each pixel of a tile when overlapping tiles are blended: 1 in the middle, falling linearly to near 0
/// across the overlap at each edge, separable in x and y. Where two tiles overlap, one fades out as the other fades in,
/// so the blended map has no step at tile borders; and the pixels a model sees with the least context (its edges,
/// next to zero padding) count least. Never exactly 0, so a tile at the region's edge still covers its own pixels.
/// </summary>
internal static class BlendWeights
{
    public static float[] Create(int tileSize, int overlap)
    {
        var ramp = new float[tileSize];
        var width = Math.Max(1, overlap);
        for (var i = 0; i < tileSize; i++)
            ramp[i] = Math.Min(1f, Math.Min((i + 0.5f) / width, (tileSize - i - 0.5f) / width));

        var weights = new float[tileSize * tileSize];
        for (var y = 0; y < tileSize; y++)
            for (var x = 0; x < tileSize; x++)
                weights[(y * tileSize) + x] = ramp[x] * ramp[y];
        return weights;
    }
}
