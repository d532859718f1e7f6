using System.Buffers;
using System.Runtime.InteropServices;
using Halflife.Inference.Native;

namespace Halflife.Inference;

/// <summary>
/// An ONNX value (here: a dense tensor); mirrors Microsoft.ML.OnnxRuntime's OrtValue. Inputs wrap managed memory
/// without copying (the memory stays pinned until disposal); outputs own memory ONNX Runtime allocated.
/// Dispose every OrtValue: the finalizer is a safety net, not a plan.
/// </summary>
public sealed unsafe class OrtValue : IDisposable
{
    private readonly OrtSafeHandle handle;

    private OrtValue(nint value, MemoryHandle pin) =>
        handle = new OrtSafeHandle(value, OrtApiIndex.ReleaseValue) { Pin = pin };

    internal OrtSafeHandle Handle => handle;

    /// <summary>A tensor over <paramref name="data"/> (row-major) with <paramref name="shape"/>; no copy is made.</summary>
    public static OrtValue CreateTensorValueFromMemory<T>(T[] data, long[] shape) where T : unmanaged =>
        CreateTensorValueFromMemory(new Memory<T>(data), shape);

    /// <summary>A tensor over <paramref name="data"/> (row-major) with <paramref name="shape"/>; no copy is made.</summary>
    public static OrtValue CreateTensorValueFromMemory<T>(Memory<T> data, long[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(shape);
        var elements = ShapeElementCount(shape);
        if (elements != data.Length)
        {
            throw new ArgumentException(
                $"Shape [{string.Join(',', shape)}] holds {elements} elements but the buffer has {data.Length}.", nameof(data));
        }

        var env = OrtEnv.Instance();
        var pin = data.Pin();
        try
        {
            nint value;
            fixed (long* dims = shape)
            {
                OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, void*, nuint, long*, nuint, int, nint*, nint>)
                    OrtApi.Fn(OrtApiIndex.CreateTensorWithDataAsOrtValue))(
                    env.CpuMemoryInfo, pin.Pointer, (nuint)(data.Length * sizeof(T)), dims, (nuint)shape.Length,
                    (int)TensorElementTypes.Of<T>(), &value));
            }

            return new OrtValue(value, pin);
        }
        catch
        {
            pin.Dispose();
            throw;
        }
    }

    /// <summary>Takes ownership of a value ONNX Runtime returned.</summary>
    internal static OrtValue FromNative(nint value) => new(value, default);

    public bool IsTensor
    {
        get
        {
            int isTensor;
            OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, int*, nint>)OrtApi.Fn(OrtApiIndex.IsTensor))(Pointer, &isTensor));
            return isTensor != 0;
        }
    }

    /// <summary>Element type and shape of this tensor.</summary>
    public OrtTensorTypeAndShapeInfo GetTensorTypeAndShape()
    {
        nint info;
        OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, nint*, nint>)OrtApi.Fn(OrtApiIndex.GetTensorTypeAndShape))(Pointer, &info));
        try
        {
            return TensorShapeReader.Read(info);
        }
        finally
        {
            OrtApi.Release(OrtApiIndex.ReleaseTensorTypeAndShapeInfo, info);
        }
    }

    /// <summary>The tensor's elements; valid until this value is disposed.</summary>
    public ReadOnlySpan<T> GetTensorDataAsSpan<T>() where T : unmanaged => GetTensorMutableDataAsSpan<T>();

    /// <summary>The tensor's elements, writable; valid until this value is disposed.</summary>
    public Span<T> GetTensorMutableDataAsSpan<T>() where T : unmanaged
    {
        var info = GetTensorTypeAndShape();
        var requested = TensorElementTypes.Of<T>();
        if (info.ElementDataType != requested)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                $"The tensor holds {info.ElementDataType}, not {requested} ({typeof(T).Name}).");
        }

        void* data;
        OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, void**, nint>)OrtApi.Fn(OrtApiIndex.GetTensorMutableData))(Pointer, &data));
        return new Span<T>(data, checked((int)info.ElementCount));
    }

    /// <summary>A managed copy of the tensor's elements.</summary>
    public T[] ToArray<T>() where T : unmanaged => GetTensorDataAsSpan<T>().ToArray();

    /// <summary>Releases the native value, then unpins the managed memory it pointed into.</summary>
    public void Dispose() => handle.Dispose();

    internal static long ShapeElementCount(long[] shape)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"Shape [{string.Join(',', shape)}] has a negative dimension.", nameof(shape));
            }

            count = checked(count * dim);
        }

        return count;
    }

    private nint Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            return handle.DangerousGetHandle();
        }
    }
}

/// <summary>Element type and shape of a tensor value; mirrors Microsoft.ML.OnnxRuntime's type of the same name.</summary>
public sealed record OrtTensorTypeAndShapeInfo(TensorElementType ElementDataType, long[] Shape, long ElementCount)
{
    public int DimensionsCount => Shape.Length;
}

/// <summary>Reads an OrtTensorTypeAndShapeInfo* (shared by values and session metadata).</summary>
internal static unsafe class TensorShapeReader
{
    public static OrtTensorTypeAndShapeInfo Read(nint info)
    {
        var (type, dims, _) = ReadWithSymbols(info, symbols: false);
        var count = dims.Any(d => d < 0) ? -1 : dims.Aggregate(1L, (a, d) => checked(a * d));
        return new OrtTensorTypeAndShapeInfo(type, dims, count);
    }

    public static (TensorElementType Type, long[] Dimensions, string[] Symbols) ReadWithSymbols(nint info, bool symbols = true)
    {
        int type;
        OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, int*, nint>)OrtApi.Fn(OrtApiIndex.GetTensorElementType))(info, &type));
        nuint rank;
        OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, nuint*, nint>)OrtApi.Fn(OrtApiIndex.GetDimensionsCount))(info, &rank));
        var dims = new long[(int)rank];
        fixed (long* d = dims)
        {
            OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, long*, nuint, nint>)OrtApi.Fn(OrtApiIndex.GetDimensions))(info, d, rank));
        }

        var names = new string[(int)rank];
        if (symbols && rank > 0)
        {
            var pointers = new nint[(int)rank];
            fixed (nint* p = pointers)
            {
                OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, nint*, nuint, nint>)OrtApi.Fn(OrtApiIndex.GetSymbolicDimensions))(info, p, rank));
            }

            // The strings belong to the info object: copy them before it is released.
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = pointers[i] == 0 ? "" : Marshal.PtrToStringUTF8(pointers[i]) ?? "";
            }
        }

        return ((TensorElementType)type, dims, names);
    }
}
