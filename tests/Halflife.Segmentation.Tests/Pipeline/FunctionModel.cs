using Halflife.Segmentation.Pipeline;

namespace Halflife.Segmentation.Tests.Pipeline;

/// <summary>
/// A model without ONNX: the probability of class 1 of each pixel is a function of its colour (class 0 gets the rest),
/// so the expected map follows from the slide; <c>withinTile</c> can make it depend on the pixel's place in the tile
/// (as real models' edge effects do), so that tiles disagree where they overlap.
/// </summary>
internal sealed class FunctionModel(
    int tileSize, int overlap, double? micronsPerPixel, Func<byte, byte, byte, float> probability, Func<int, int, float, float>? withinTile = null) : ITileModel
{
    private int runs;

    public int TileSize => tileSize;

    public int Overlap => overlap;

    public double? MicronsPerPixel => micronsPerPixel;

    public IReadOnlyList<string> Classes { get; } = ["background", "tumour-like"];

    public bool HasBackground => true;

    public string Activation => "none";

    public int Runs => runs;

    public List<int> BatchSizes { get; } = [];

    public int BatchSizeFor(int requested) => requested;

    public TileTensor Prepare(IReadOnlyList<byte[]> tiles) => new(Array.Empty<float>(), [tiles.Count], tiles.Count, tiles);

    public TileOutput Run(TileTensor input)
    {
        Interlocked.Increment(ref runs);
        lock (BatchSizes) BatchSizes.Add(input.Count);
        var plane = tileSize * tileSize;
        var values = new float[input.Count * 2 * plane];
        for (var n = 0; n < input.Count; n++)
        {
            var tile = input.Tiles[n];
            for (var p = 0; p < plane; p++)
            {
                var v = probability(tile[(p * 4) + 2], tile[(p * 4) + 1], tile[p * 4]);
                if (withinTile is not null) v = withinTile(p % tileSize, p / tileSize, v);
                values[(n * 2 * plane) + p] = 1 - v;
                values[(n * 2 * plane) + plane + p] = v;
            }
        }

        return new TileOutput(values, input.Count, 2, tileSize, tileSize, ChannelsLast: false);
    }
}
