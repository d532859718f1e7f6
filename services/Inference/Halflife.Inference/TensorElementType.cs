namespace Halflife.Inference;

/// <summary>Tensor element types, same values as ONNX's TensorProto.DataType and Microsoft.ML.OnnxRuntime's enum.</summary>
public enum TensorElementType
{
    DataTypeMax = -1,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
    Complex64 = 14,
    Complex128 = 15,
    BFloat16 = 16,
}

/// <summary>What an ONNX value is (<c>ONNXType</c>), same values as Microsoft.ML.OnnxRuntime's enum.</summary>
public enum OnnxValueType
{
    ONNX_TYPE_UNKNOWN = 0,
    ONNX_TYPE_TENSOR = 1,
    ONNX_TYPE_SEQUENCE = 2,
    ONNX_TYPE_MAP = 3,
    ONNX_TYPE_OPAQUE = 4,
    ONNX_TYPE_SPARSETENSOR = 5,
    ONNX_TYPE_OPTIONAL = 6,
}

/// <summary>Maps .NET element types to ONNX ones; only fixed-size types can share memory with ONNX Runtime.</summary>
public static class TensorElementTypes
{
    public static TensorElementType Of<T>() where T : unmanaged => Of(typeof(T));

    public static TensorElementType Of(Type type) => type switch
    {
        _ when type == typeof(float) => TensorElementType.Float,
        _ when type == typeof(Half) => TensorElementType.Float16,
        _ when type == typeof(byte) => TensorElementType.UInt8,
        _ when type == typeof(sbyte) => TensorElementType.Int8,
        _ when type == typeof(ushort) => TensorElementType.UInt16,
        _ when type == typeof(short) => TensorElementType.Int16,
        _ when type == typeof(int) => TensorElementType.Int32,
        _ when type == typeof(long) => TensorElementType.Int64,
        _ when type == typeof(bool) => TensorElementType.Bool,
        _ when type == typeof(double) => TensorElementType.Double,
        _ when type == typeof(uint) => TensorElementType.UInt32,
        _ when type == typeof(ulong) => TensorElementType.UInt64,
        _ => throw new NotSupportedException($"{type} has no ONNX tensor element type this binding supports."),
    };

    /// <summary>The .NET type for an ONNX element type, or null where there is none (string, bfloat16, complex).</summary>
    public static Type? ClrType(TensorElementType type) => type switch
    {
        TensorElementType.Float => typeof(float),
        TensorElementType.Float16 => typeof(Half),
        TensorElementType.UInt8 => typeof(byte),
        TensorElementType.Int8 => typeof(sbyte),
        TensorElementType.UInt16 => typeof(ushort),
        TensorElementType.Int16 => typeof(short),
        TensorElementType.Int32 => typeof(int),
        TensorElementType.Int64 => typeof(long),
        TensorElementType.Bool => typeof(bool),
        TensorElementType.Double => typeof(double),
        TensorElementType.UInt32 => typeof(uint),
        TensorElementType.UInt64 => typeof(ulong),
        _ => null,
    };
}
