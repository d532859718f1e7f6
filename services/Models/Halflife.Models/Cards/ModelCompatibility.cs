using Halflife.Inference;

namespace Halflife.Models.Cards;

/// <summary>
/// Checks a card against the model ONNX Runtime actually loaded: the card's inputs are exactly the graph's inputs,
/// its outputs exist in the graph, and names, ranks, fixed dimensions and element types agree. A card that lies
/// about its model would make every service feed it wrong data, so the upload is refused instead.
/// </summary>
public static class ModelCompatibility
{
    private static readonly Dictionary<TensorElementType, string> Dtypes = new()
    {
        [TensorElementType.Float] = "float32", [TensorElementType.Float16] = "float16", [TensorElementType.Double] = "float64",
        [TensorElementType.UInt8] = "uint8", [TensorElementType.Int8] = "int8", [TensorElementType.UInt16] = "uint16",
        [TensorElementType.Int16] = "int16", [TensorElementType.Int32] = "int32", [TensorElementType.Int64] = "int64",
        [TensorElementType.Bool] = "bool",
    };

    public static IReadOnlyList<string> Check(ModelCard card, InferenceSession session)
    {
        var errors = new List<string>();
        var missing = session.InputNames.Except(card.Inputs.Select(i => i.Name), StringComparer.Ordinal).ToList();
        if (missing.Count > 0) errors.Add($"the model has input(s) the card does not describe: {string.Join(", ", missing)}");
        foreach (var input in card.Inputs)
            Compare("input", input, session.InputMetadata, errors);
        foreach (var output in card.Outputs)
            Compare("output", output, session.OutputMetadata, errors);
        return errors;
    }

    private static void Compare(string kind, TensorSpec spec, IReadOnlyDictionary<string, NodeMetadata> graph, List<string> errors)
    {
        if (!graph.TryGetValue(spec.Name, out var node))
        {
            errors.Add($"the card's {kind} '{spec.Name}' is not in the model (its {kind}s: {string.Join(", ", graph.Keys)})");
            return;
        }
        if (!node.IsTensor)
        {
            errors.Add($"{kind} '{spec.Name}' is a {node.OnnxValueType}, not a tensor");
            return;
        }
        if (spec.Dtype is { } dtype && Dtypes.GetValueOrDefault(node.ElementDataType) != dtype)
            errors.Add($"{kind} '{spec.Name}': the card says {dtype}, the model has {Dtypes.GetValueOrDefault(node.ElementDataType, node.ElementDataType.ToString())}");
        if (spec.Shape is not { } shape) return;
        if (shape.Count != node.Dimensions.Length)
        {
            errors.Add($"{kind} '{spec.Name}': the card's shape has rank {shape.Count}, the model's rank is {node.Dimensions.Length}");
            return;
        }
        for (var d = 0; d < shape.Count; d++)
        {
            // -1 in the card is "any"; a fixed dimension in both must agree. A dimension the card fixes but the model
            // leaves open is a narrower promise and fine.
            if (shape[d] > 0 && node.Dimensions[d] > 0 && shape[d] != node.Dimensions[d])
                errors.Add($"{kind} '{spec.Name}': dimension {d} is {shape[d]} in the card but {node.Dimensions[d]} in the model");
        }
    }
}
