using Halflife.Inference;
using Halflife.Models.Cards;

namespace Halflife.Segmentation.Pipeline;

/// <summary>
/// How to feed one segmentation model and read its answer, from its card and the graph ONNX Runtime loaded. The card
/// gives the meaning (layout, channel order, scaling, activation, classes, resolution); the graph is the authority on
/// fixed dimensions and element types (the registry has already checked that both agree).
/// </summary>
internal sealed record SegmentationModelSpec
{
    public required string InputName { get; init; }
    public required bool ChannelsLast { get; init; }
    /// <summary>For each model input channel, the source colour: 0 red, 1 green, 2 blue, 3 alpha (opaque), -1 grey.</summary>
    public required int[] ChannelSources { get; init; }
    public required TensorElementType InputType { get; init; }
    public required ChannelScaling Scaling { get; init; }
    /// <summary>The graph's batch size when fixed (pad to it), null when dynamic.</summary>
    public required int? FixedBatch { get; init; }
    public required int TileSize { get; init; }
    public required int Overlap { get; init; }
    public required double? MicronsPerPixel { get; init; }

    public required string OutputName { get; init; }
    public required bool OutputChannelsLast { get; init; }
    /// <summary>A tile classifier: the output is [N, classes], one answer per tile, painted over the whole tile.</summary>
    public bool TileLevelOutput { get; init; }
    /// <summary>Channels the graph outputs (1 for a single sigmoid map).</summary>
    public required int OutputChannels { get; init; }
    /// <summary>What the caller must apply: none, sigmoid or softmax.</summary>
    public required string Activation { get; init; }
    /// <summary>Decoded classes: a one-channel output becomes ["background", class].</summary>
    public required IReadOnlyList<string> Classes { get; init; }
    /// <summary>Class 0 is background: it gets no contours and fills skipped areas.</summary>
    public required bool HasBackground { get; init; }

    public int InputChannels => ChannelSources.Length;

    /// <exception cref="ModelNotRunnableException">The card cannot be run for segmentation, with the reason.</exception>
    public static SegmentationModelSpec From(ModelCard card, InferenceSession session)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(session);
        var what = $"model {card.Name} {card.Version}";
        // A patch classifier (one answer per tile) gives a tile-resolution map: coarse, but the way many CAMELYON16
        // models are built and used for heat maps.
        var classifier = string.Equals(card.Task, "classification", StringComparison.Ordinal);
        if (!classifier && !string.Equals(card.Task, "segmentation", StringComparison.Ordinal))
            throw new ModelNotRunnableException($"{what} is a '{card.Task}' model, not a segmentation model (or a tile classifier).");
        if (session.InputNames.Count != 1 || card.Inputs.Count != 1)
            throw new ModelNotRunnableException($"{what} has {session.InputNames.Count} inputs; segmentation feeds exactly one image tensor.");
        var input = card.Inputs[0];
        if (!session.InputMetadata.TryGetValue(input.Name, out var inputNode))
            throw new ModelNotRunnableException($"{what}: the card's input '{input.Name}' is not in the graph (it has {string.Join(", ", session.InputNames)}).");
        var channelsLast = ImageLayout(input.Layout, $"{what} input '{input.Name}'");
        var dims = inputNode.Dimensions;
        if (dims.Length != 4)
            throw new ModelNotRunnableException($"{what}: input '{input.Name}' has rank {dims.Length}; an image tile needs rank 4 ({input.Layout}).");
        int batch = dims[0], channels = dims[channelsLast ? 3 : 1], height = dims[channelsLast ? 1 : 2], width = dims[channelsLast ? 2 : 3];

        var order = input.ChannelOrder ?? (channels == 1 ? "GRAY" : "RGB");
        var sources = ChannelSourcesOf(order);
        if (channels > 0 && channels != sources.Length)
            throw new ModelNotRunnableException($"{what}: channel order {order} gives {sources.Length} channels but the input has {channels}.");

        var type = inputNode.ElementDataType;
        if (type is not (TensorElementType.Float or TensorElementType.Float16 or TensorElementType.Double or TensorElementType.UInt8))
            throw new ModelNotRunnableException($"{what}: input element type {type} is not supported (float32, float16, float64 or uint8).");
        var scaling = ChannelScaling.From(card.ScalingOf(input), sources.Length, what);
        if (type == TensorElementType.UInt8 && !scaling.IsIdentity)
            throw new ModelNotRunnableException($"{what}: a uint8 input takes pixel values as they are; its scaling must be 'none'.");

        var tile = TileSizeOf(card, input, height, width, what);
        var overlap = card.Tiling?.Overlap ?? tile / 8;
        if (overlap < 0 || overlap * 2 >= tile)
            throw new ModelNotRunnableException($"{what}: overlap {overlap} must be at least 0 and less than half the tile ({tile}).");

        var (outputName, outputNode, outputSpec) = OutputOf(card, session, what);
        var outputLayout = outputSpec?.Layout ?? (outputNode.Dimensions.Length == 2 ? "NC" : input.Layout);
        var tileLevel = outputLayout == "NC";
        if (classifier && !tileLevel)
            throw new ModelNotRunnableException($"{what} is a 'classification' model: as a tile classifier its output must be [N, classes] (layout NC), not {outputLayout}.");
        var outputLast = tileLevel || ImageLayout(outputLayout, $"{what} output '{outputName}'");
        var rank = tileLevel ? 2 : 4;
        if (outputNode.Dimensions.Length != rank)
            throw new ModelNotRunnableException(tileLevel
                ? $"{what}: output '{outputName}' has rank {outputNode.Dimensions.Length}; a tile classifier's output is [N, classes]."
                : $"{what}: output '{outputName}' has rank {outputNode.Dimensions.Length}; a probability map needs rank 4.");
        var activation = outputSpec?.Activation ?? "none";
        if (activation is not ("none" or "sigmoid" or "softmax"))
            throw new ModelNotRunnableException($"{what}: output activation '{activation}' does not give probabilities (none, sigmoid or softmax).");
        var names = outputSpec?.Classes ?? card.Classes;
        var outputChannels = outputNode.Dimensions[tileLevel ? 1 : outputLast ? 3 : 1];
        if (outputChannels <= 0)
            outputChannels = names?.Count ?? throw new ModelNotRunnableException(
                $"{what}: the output's class dimension is dynamic and the card names no classes, so the classes are unknown.");
        if (outputChannels == 1 && activation == "softmax")
            throw new ModelNotRunnableException($"{what}: softmax over a single output channel is always 1; use sigmoid or none.");

        IReadOnlyList<string> classes;
        bool background;
        if (outputChannels == 1)
        {
            // One probability map p: class "background" is 1 - p.
            var name = names switch { { Count: 1 } n => n[0], { Count: 2 } n when IsBackground(n[0]) => n[1], null => "foreground", _ => null }
                ?? throw new ModelNotRunnableException($"{what}: one output channel but {names!.Count} classes named ({string.Join(", ", names)}).");
            classes = ["background", name];
            background = true;
        }
        else
        {
            if (names is not null && names.Count != outputChannels)
                throw new ModelNotRunnableException($"{what}: the output has {outputChannels} channels but the card names {names.Count} classes.");
            classes = names ?? Enumerable.Range(0, outputChannels).Select(i => i == 0 && activation == "softmax" ? "background" : $"class {i}").ToList();
            background = activation == "softmax" || IsBackground(classes[0]);
        }

        return new SegmentationModelSpec
        {
            InputName = input.Name, ChannelsLast = channelsLast, ChannelSources = sources, InputType = type, Scaling = scaling,
            FixedBatch = batch > 0 ? batch : null, TileSize = tile, Overlap = overlap, MicronsPerPixel = card.Tiling?.MicronsPerPixel,
            OutputName = outputName, OutputChannelsLast = outputLast, TileLevelOutput = tileLevel, OutputChannels = outputChannels, Activation = activation,
            Classes = classes, HasBackground = background,
        };
    }

    private static bool IsBackground(string name) =>
        name.Equals("background", StringComparison.OrdinalIgnoreCase) || name.Equals("bg", StringComparison.OrdinalIgnoreCase);

    private static bool ImageLayout(string? layout, string what) => layout switch
    {
        "NCHW" => false,
        "NHWC" => true,
        _ => throw new ModelNotRunnableException($"{what}: layout '{layout ?? "(none)"}' is not an image layout (NCHW or NHWC)."),
    };

    private static int[] ChannelSourcesOf(string order) => order switch
    {
        "RGB" => [0, 1, 2],
        "BGR" => [2, 1, 0],
        "RGBA" => [0, 1, 2, 3],
        "BGRA" => [2, 1, 0, 3],
        "GRAY" => [-1],
        _ => throw new ModelNotRunnableException($"channel order '{order}' is not one of RGB, BGR, RGBA, BGRA, GRAY."),
    };

    private static int TileSizeOf(ModelCard card, TensorSpec input, int height, int width, string what)
    {
        var requested = card.Tiling?.TileSize;
        if (height > 0 || width > 0)
        {
            if (height != width)
                throw new ModelNotRunnableException($"{what}: the input takes {height}x{width} tiles; only square tiles (or dynamic sizes) are supported.");
            if (requested is { } r && r != height)
                throw new ModelNotRunnableException($"{what}: tiling.tile_size {r} disagrees with the input's fixed size {height}.");
            return height;
        }

        var tile = requested ?? 256;
        var multiple = Math.Max(input.Constraints?.HeightMultipleOf ?? 1, input.Constraints?.WidthMultipleOf ?? 1);
        tile = Math.Max(tile, Math.Max(input.Constraints?.MinHeight ?? 1, input.Constraints?.MinWidth ?? 1));
        tile = (tile + multiple - 1) / multiple * multiple;
        if (tile is < 8 or > 4096)
            throw new ModelNotRunnableException($"{what}: tile size {tile} is outside 8..4096 pixels.");
        return tile;
    }

    private static (string Name, NodeMetadata Node, TensorSpec? Spec) OutputOf(ModelCard card, InferenceSession session, string what)
    {
        foreach (var spec in card.Outputs)
        {
            if (session.OutputMetadata.TryGetValue(spec.Name, out var node)) return (spec.Name, node, spec);
        }

        if (card.Outputs.Count > 0)
            throw new ModelNotRunnableException($"{what}: none of the card's outputs ({string.Join(", ", card.Outputs.Select(o => o.Name))}) is in the graph.");
        var first = session.OutputNames[0];
        return (first, session.OutputMetadata[first], null);
    }
}
