namespace Halflife.Inference;

/// <summary>
/// Type and shape of one model input or output; mirrors Microsoft.ML.OnnxRuntime's NodeMetadata.
/// A dimension the model leaves open is -1 in <see cref="Dimensions"/> and, when the model names it, has that name
/// (e.g. "batch") in <see cref="SymbolicDimensions"/>.
/// </summary>
public sealed class NodeMetadata
{
    internal NodeMetadata(string name, OnnxValueType valueType, TensorElementType elementDataType, long[] dimensions, string[] symbolicDimensions)
    {
        Name = name;
        OnnxValueType = valueType;
        ElementDataType = elementDataType;
        Dimensions = Array.ConvertAll(dimensions, d => checked((int)d));
        SymbolicDimensions = symbolicDimensions;
    }

    public string Name { get; }

    public OnnxValueType OnnxValueType { get; }

    public bool IsTensor => OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR;

    public TensorElementType ElementDataType { get; }

    /// <summary>The .NET element type, or null where none exists (string, bfloat16).</summary>
    public Type? ElementType => TensorElementTypes.ClrType(ElementDataType);

    public int[] Dimensions { get; }

    public string[] SymbolicDimensions { get; }

    public override string ToString() =>
        $"{Name}: {ElementDataType}[{string.Join(',', Dimensions.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : SymbolicDimensions[i] is { Length: > 0 } s ? s : "?"))}]";
}

/// <summary>Model-level metadata from the ONNX file; mirrors Microsoft.ML.OnnxRuntime's ModelMetadata (subset).</summary>
public sealed record ModelMetadata(string ProducerName, string GraphName, long Version);

/// <summary>A read-only list whose items must be disposed together; mirrors Microsoft.ML.OnnxRuntime's interface.</summary>
public interface IDisposableReadOnlyCollection<out T> : IReadOnlyList<T>, IDisposable
{
}

internal sealed class DisposableList<T>(List<T> items) : IDisposableReadOnlyCollection<T> where T : IDisposable
{
    public int Count => items.Count;

    public T this[int index] => items[index];

    public IEnumerator<T> GetEnumerator() => items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        foreach (var item in items)
        {
            item.Dispose();
        }

        items.Clear();
    }
}
