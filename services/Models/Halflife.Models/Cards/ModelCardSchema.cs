namespace Halflife.Models.Cards;

/// <summary>The rules a card must keep before any model file is even looked at.</summary>
internal static class ModelCardSchema
{
    private static readonly HashSet<string> Tasks = ["restoration", "denoising", "segmentation", "classification", "detection", "regression", "other"];
    private static readonly HashSet<string> Layouts = ["NCHW", "NHWC", "NCDHW", "NDHWC", "NC"];
    private static readonly HashSet<string> Dtypes = ["float32", "float16", "float64", "uint8", "int8", "uint16", "int16", "int32", "int64", "bool"];
    private static readonly HashSet<string> ChannelOrders = ["RGB", "BGR", "RGBA", "BGRA", "GRAY"];
    private static readonly HashSet<string> Activations = ["none", "relu", "sigmoid", "softmax"];

    public static List<string> Check(ModelCard card)
    {
        var errors = new List<string>();
        if (!ModelNames.IsValidName(card.Name))
            errors.Add($"name '{card.Name}' is invalid (1-{ModelNames.MaxLength} lower-case letters, digits, '.', '_', '-')");
        if (!ModelNames.IsValidVersion(card.Version))
            errors.Add($"version '{card.Version}' is invalid (1-{ModelNames.MaxLength} lower-case letters, digits, '.', '_', '-'; e.g. 1.0.0)");
        if (!Tasks.Contains(card.Task))
            errors.Add($"task '{card.Task}' is not one of {string.Join(", ", Tasks)}");
        if (card.Inputs is not { Count: > 0 }) errors.Add("inputs: at least one input is required");
        if (card.Outputs is not { Count: > 0 }) errors.Add("outputs: at least one output is required");
        CheckTensors("inputs", card.Inputs ?? [], isInput: true, errors);
        CheckTensors("outputs", card.Outputs ?? [], isInput: false, errors);
        if (card.IntensityScaling is { } scaling) CheckScaling("intensity_scaling", scaling, null, errors);
        if (card.Tiling is { } tiling)
        {
            if (tiling.TileSize is <= 0) errors.Add("tiling.tile_size must be positive");
            if (tiling.Overlap is < 0) errors.Add("tiling.overlap must not be negative");
            if (tiling is { TileSize: { } size, Overlap: { } overlap } && overlap * 2 >= size) errors.Add("tiling.overlap must be less than half the tile size");
            if (tiling.MicronsPerPixel is <= 0) errors.Add("tiling.microns_per_pixel must be positive");
        }
        CheckClasses("classes", card.Classes, errors);
        return errors;
    }

    private static void CheckTensors(string what, IReadOnlyList<TensorSpec> tensors, bool isInput, List<string> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            var at = $"{what}[{i}]";
            if (t is null) { errors.Add($"{at} is null"); continue; }
            if (string.IsNullOrWhiteSpace(t.Name)) errors.Add($"{at}.name is required");
            else if (!names.Add(t.Name)) errors.Add($"{at}.name '{t.Name}' appears twice");
            if (t.Shape is null) errors.Add($"{at}.shape is required (use -1 for dynamic dimensions)");
            else if (t.Shape.Any(d => d == 0 || d < -1)) errors.Add($"{at}.shape [{string.Join(", ", t.Shape)}]: dimensions are positive or -1");
            if (t.Layout is { } layout)
            {
                if (!Layouts.Contains(layout)) errors.Add($"{at}.layout '{layout}' is not one of {string.Join(", ", Layouts)}");
                else if (t.Shape is { } shape && shape.Count != layout.Length) errors.Add($"{at}.layout {layout} has rank {layout.Length} but shape has rank {shape.Count}");
            }
            else if (isInput && t.Shape is { Count: 4 })
            {
                errors.Add($"{at}.layout is required for an image input (NCHW or NHWC)");
            }
            if (t.Dtype is { } dtype && !Dtypes.Contains(dtype)) errors.Add($"{at}.dtype '{dtype}' is not one of {string.Join(", ", Dtypes)}");
            if (t.ChannelOrder is { } order && !ChannelOrders.Contains(order)) errors.Add($"{at}.channel_order '{order}' is not one of {string.Join(", ", ChannelOrders)}");
            var channels = ChannelCount(t);
            if (t.Channels is { } named && channels is { } fixedChannels && named.Count != fixedChannels)
                errors.Add($"{at}.channels names {named.Count} channels but the shape has {fixedChannels}");
            if (t.ChannelOrder is { } o && channels is { } c && o != "GRAY" && o.Length != c)
                errors.Add($"{at}.channel_order {o} needs {o.Length} channels but the shape has {c}");
            if (t.Constraints is { } k && (k.HeightMultipleOf is <= 0 || k.WidthMultipleOf is <= 0 || k.MinHeight is <= 0 || k.MinWidth is <= 0))
                errors.Add($"{at}.constraints must be positive");
            if (t.Scaling is { } scaling) CheckScaling($"{at}.scaling", scaling, channels ?? t.Channels?.Count, errors);
            if (t.Activation is { } activation && !Activations.Contains(activation))
                errors.Add($"{at}.activation '{activation}' is not one of {string.Join(", ", Activations)}");
            CheckClasses($"{at}.classes", t.Classes, errors);
        }
    }

    /// <summary>The channel dimension's size when the layout names it and the shape fixes it.</summary>
    internal static long? ChannelCount(TensorSpec t)
    {
        if (t.Layout is null || t.Shape is null || t.Shape.Count != t.Layout.Length) return null;
        var index = t.Layout.IndexOf('C', StringComparison.Ordinal);
        return index >= 0 && t.Shape[index] > 0 ? t.Shape[index] : null;
    }

    private static void CheckScaling(string at, IntensityScaling s, long? channels, List<string> errors)
    {
        if (!ScalingTypes.All.Contains(s.Type)) { errors.Add($"{at}.type '{s.Type}' is not one of {string.Join(", ", ScalingTypes.All)}"); return; }
        if (s.Type == ScalingTypes.Range && (s.Min is null || s.Max is null))
            errors.Add($"{at}: type range needs min and max (the input values that map to 0 and 1)");
        if (s is { Min: { } min, Max: { } max } && !(max > min)) errors.Add($"{at}: max must be greater than min");
        if (s.Type == ScalingTypes.MeanStd)
        {
            if (s.Mean is not { Count: > 0 } || s.Std is not { Count: > 0 }) errors.Add($"{at}: type mean_std needs mean and std (one value per channel)");
            else if (s.Mean.Count != s.Std.Count) errors.Add($"{at}: mean has {s.Mean.Count} values but std has {s.Std.Count}");
            else if (s.Std.Any(v => !(v > 0))) errors.Add($"{at}: std values must be positive");
            else if (channels is { } c && s.Mean.Count != c && s.Mean.Count != 1) errors.Add($"{at}: {s.Mean.Count} mean/std values for {c} channels");
        }
    }

    private static void CheckClasses(string at, IReadOnlyList<string>? classes, List<string> errors)
    {
        if (classes is null) return;
        if (classes.Any(string.IsNullOrWhiteSpace)) errors.Add($"{at}: class names must not be empty");
        if (classes.Distinct(StringComparer.Ordinal).Count() != classes.Count) errors.Add($"{at}: class names must be unique");
    }
}
