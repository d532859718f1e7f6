using System.Text.Json;
using System.Text.Json.Serialization;

namespace Halflife.Models.Cards;

/// <summary>
/// What a service must know to run a model, as its card.json states it (docs/models.md). General enough for every
/// task here: image restoration and denoising (count images, NCHW), segmentation and classification of RGB tiles
/// (NHWC or NCHW, channel order, 0..1 or mean/std scaling, tile size and microns per pixel, classes). Properties the
/// schema does not name (training, metrics, licence, ...) are kept in the stored card.json but not interpreted.
/// </summary>
public sealed record ModelCard
{
    public string Name { get; init; } = "";
    public string Version { get; init; } = "";
    /// <summary>restoration, denoising, segmentation, classification, detection, regression or other.</summary>
    public string Task { get; init; } = "";
    public string? Description { get; init; }
    public IReadOnlyList<TensorSpec> Inputs { get; init; } = [];
    public IReadOnlyList<TensorSpec> Outputs { get; init; } = [];
    /// <summary>How pixel values become model input, for every input that does not state its own <see cref="TensorSpec.Scaling"/>.</summary>
    public IntensityScaling? IntensityScaling { get; init; }
    public TilingSpec? Tiling { get; init; }
    /// <summary>Class names in output channel order (segmentation, classification); an output may state its own.</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>The scaling that applies to <paramref name="input"/>: its own, else the card's, else none.</summary>
    public IntensityScaling ScalingOf(TensorSpec input) => input.Scaling ?? IntensityScaling ?? new IntensityScaling { Type = ScalingTypes.None };

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
    };

    /// <summary>Parses and validates a card; every schema problem is reported at once.</summary>
    /// <exception cref="ModelValidationException">The JSON is malformed or breaks the schema.</exception>
    public static ModelCard Parse(ReadOnlySpan<byte> json)
    {
        ModelCard? card;
        try
        {
            card = JsonSerializer.Deserialize<ModelCard>(json, Json);
        }
        catch (JsonException e)
        {
            throw new ModelValidationException([$"card.json is not valid JSON for a model card: {e.Message}"]);
        }
        if (card is null) throw new ModelValidationException(["card.json is empty (null)"]);
        var errors = ModelCardSchema.Check(card);
        if (errors.Count > 0) throw new ModelValidationException(errors);
        return card;
    }
}

/// <summary>One input or output tensor.</summary>
public sealed record TensorSpec
{
    public string Name { get; init; } = "";
    /// <summary>NCHW, NHWC, NCDHW, NDHWC or NC; letters name the dimensions of <see cref="Shape"/>.</summary>
    public string? Layout { get; init; }
    /// <summary>Dimensions; -1 for a dynamic one.</summary>
    public IReadOnlyList<long>? Shape { get; init; }
    /// <summary>float32, float16, float64, uint8, int8, int32, int64 or bool.</summary>
    public string? Dtype { get; init; }
    /// <summary>What each channel holds (e.g. ["counts"] or ["r","g","b"]).</summary>
    public IReadOnlyList<string>? Channels { get; init; }
    /// <summary>RGB, BGR, RGBA, BGRA or GRAY: the order colour images must be fed in.</summary>
    public string? ChannelOrder { get; init; }
    public TensorConstraints? Constraints { get; init; }
    public IntensityScaling? Scaling { get; init; }
    /// <summary>Outputs: what the values mean.</summary>
    public string? Meaning { get; init; }
    /// <summary>
    /// Outputs: sigmoid or softmax when the output is logits and the caller turns them into probabilities; none when
    /// the values are used as they are (a graph that ends in its own softmax says none); relu is informational.
    /// </summary>
    public string? Activation { get; init; }
    public IReadOnlyList<string>? Classes { get; init; }
}

public sealed record TensorConstraints
{
    public int? HeightMultipleOf { get; init; }
    public int? WidthMultipleOf { get; init; }
    public int? MinHeight { get; init; }
    public int? MinWidth { get; init; }
}

public static class ScalingTypes
{
    /// <summary>Values as they are.</summary>
    public const string None = "none";
    /// <summary>x / mean(x) over the scope (count images: makes the model count-level invariant).</summary>
    public const string DivideByMean = "divide_by_mean";
    /// <summary>(x - min) / (max - min): e.g. 8-bit RGB 0..255 to 0..1.</summary>
    public const string Range = "range";
    /// <summary>((x - min) / (max - min) - mean[c]) / std[c] per channel (ImageNet style); min/max default 0/1.</summary>
    public const string MeanStd = "mean_std";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { None, DivideByMean, Range, MeanStd };
}

public sealed record IntensityScaling
{
    public string Type { get; init; } = ScalingTypes.None;
    /// <summary>per image, per tile, ... (documentation for the implementer).</summary>
    public string? Scope { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }
    public IReadOnlyList<double>? Mean { get; init; }
    public IReadOnlyList<double>? Std { get; init; }
}

public sealed record TilingSpec
{
    /// <summary>Tile edge in pixels; null when the model takes whole images.</summary>
    public int? TileSize { get; init; }
    public int? Overlap { get; init; }
    /// <summary>Resolution the model was trained at (pathology).</summary>
    public double? MicronsPerPixel { get; init; }
}
