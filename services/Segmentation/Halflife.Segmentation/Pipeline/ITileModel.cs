namespace Halflife.Segmentation.Pipeline;

/// <summary>
/// A model as the pipeline sees it: square colour tiles in, per-class maps out. The ONNX implementation
/// (<see cref="OnnxTileModel"/>) follows a card; tests substitute models whose answer is known.
/// </summary>
internal interface ITileModel
{
    int TileSize { get; }

    int Overlap { get; }

    /// <summary>The resolution the model was trained at; null when the card does not say (tiles are read at level 0).</summary>
    double? MicronsPerPixel { get; }

    IReadOnlyList<string> Classes { get; }

    bool HasBackground { get; }

    /// <summary>What the caller must apply to <see cref="TileOutput"/>: none, sigmoid or softmax.</summary>
    string Activation { get; }

    /// <summary>Tiles per run given the requested batch size (a graph with a fixed batch dimension decides).</summary>
    int BatchSizeFor(int requested);

    /// <summary>Turns opaque BGRA tiles of <see cref="TileSize"/> squared pixels into the model's input.</summary>
    TileTensor Prepare(IReadOnlyList<byte[]> tiles);

    TileOutput Run(TileTensor input);
}

/// <summary>A prepared batch: the input tensor (float[], Half[], double[] or byte[]) and the tiles it holds.</summary>
internal sealed record TileTensor(Array Data, long[] Shape, int Count, IReadOnlyList<byte[]> Tiles);

/// <summary>Raw model output for a batch, as float: <see cref="Values"/> in N,C,H,W or N,H,W,C order.</summary>
internal sealed record TileOutput(float[] Values, int Batch, int Channels, int Height, int Width, bool ChannelsLast);
