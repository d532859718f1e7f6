using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Halflife.Inference.Native;

namespace Halflife.Inference;

/// <summary>
/// A loaded ONNX model ready to run; mirrors Microsoft.ML.OnnxRuntime's InferenceSession (constructors, metadata,
/// the OrtValue-based Run overloads). Run is thread-safe, as in ONNX Runtime itself. Every run is traced as an
/// Activity and timed in the <see cref="InferenceTelemetry.DurationHistogramName"/> histogram.
/// </summary>
public sealed unsafe class InferenceSession : IDisposable
{
    private readonly OrtSafeHandle handle;
    private readonly Dictionary<string, nint> inputNamePointers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, nint> outputNamePointers = new(StringComparer.Ordinal);

    // Names live in pinned arrays so every Run can pass them without copying or freeing anything.
    private readonly List<byte[]> pinnedNames = [];

    public InferenceSession(string modelPath)
        : this(modelPath, null)
    {
    }

    public InferenceSession(string modelPath, SessionOptions? options)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ModelName = Path.GetFileNameWithoutExtension(modelPath);
        handle = Create(options, (env, nativeOptions, session) =>
        {
            if (OperatingSystem.IsWindows())
            {
                fixed (char* path = modelPath)
                {
                    return ((delegate* unmanaged[Cdecl]<nint, char*, nint, nint*, nint>)OrtApi.Fn(OrtApiIndex.CreateSession))(env, path, nativeOptions, session);
                }
            }

            fixed (byte* path = OrtApi.Utf8(modelPath))
            {
                return ((delegate* unmanaged[Cdecl]<nint, byte*, nint, nint*, nint>)OrtApi.Fn(OrtApiIndex.CreateSession))(env, path, nativeOptions, session);
            }
        });
        (InputMetadata, InputNames) = ReadMetadata(input: true);
        (OutputMetadata, OutputNames) = ReadMetadata(input: false);
        ModelMetadata = ReadModelMetadata();
        ModelVersion = ModelMetadata.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        (Provider, Device) = ProviderOf(options);
    }

    public InferenceSession(byte[] model)
        : this(model, null)
    {
    }

    /// <summary>
    /// Loads a model from memory. A model with external data needs
    /// <see cref="SessionOptions.SetExternalDataFolder"/> so ONNX Runtime can find its <c>.onnx.data</c>.
    /// </summary>
    public InferenceSession(byte[] model, SessionOptions? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Length == 0)
        {
            throw new ArgumentException("The model is empty (0 bytes).", nameof(model));
        }

        try
        {
            handle = Create(options, (env, nativeOptions, session) =>
            {
                fixed (byte* data = model)
                {
                    return ((delegate* unmanaged[Cdecl]<nint, byte*, nuint, nint, nint*, nint>)OrtApi.Fn(OrtApiIndex.CreateSessionFromArray))(
                        env, data, (nuint)model.Length, nativeOptions, session);
                }
            });
        }
        catch (OnnxRuntimeException e) when (e.Detail.Contains("external data", StringComparison.OrdinalIgnoreCase))
        {
            throw new OnnxRuntimeException(e.ErrorCode,
                e.Detail + $" (A model loaded from bytes finds its external data only through {nameof(SessionOptions)}.{nameof(SessionOptions.SetExternalDataFolder)}.)", e);
        }
        (InputMetadata, InputNames) = ReadMetadata(input: true);
        (OutputMetadata, OutputNames) = ReadMetadata(input: false);
        ModelMetadata = ReadModelMetadata();
        ModelName = ModelMetadata.GraphName is { Length: > 0 } graph ? graph : "model";
        ModelVersion = ModelMetadata.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        (Provider, Device) = ProviderOf(options);
    }

    private delegate nint SessionFactory(nint env, nint options, nint* session);

    public IReadOnlyDictionary<string, NodeMetadata> InputMetadata { get; }

    public IReadOnlyDictionary<string, NodeMetadata> OutputMetadata { get; }

    /// <summary>Input names in the model's order.</summary>
    public IReadOnlyList<string> InputNames { get; }

    /// <summary>Output names in the model's order.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    public ModelMetadata ModelMetadata { get; }

    /// <summary>Name used in traces and metrics; defaults to the file name (or graph name), the registry sets the card's.</summary>
    public string ModelName { get; set; }

    /// <summary>Version used in traces; defaults to the ONNX model_version, the registry sets the card's.</summary>
    public string ModelVersion { get; set; }

    /// <summary>The highest-priority execution provider the session was created with.</summary>
    public string Provider { get; }

    /// <summary>"cpu" or "cuda:N".</summary>
    public string Device { get; }

    /// <summary>Runs the model and returns every output, in <see cref="OutputNames"/> order.</summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(IReadOnlyDictionary<string, OrtValue> inputs) =>
        Run(null, inputs, OutputNames);

    public IDisposableReadOnlyCollection<OrtValue> Run(
        RunOptions? runOptions, IReadOnlyDictionary<string, OrtValue> inputs, IReadOnlyCollection<string> outputNames)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Run(runOptions, inputs.Keys.ToArray(), inputs.Values.ToArray(), outputNames);
    }

    /// <summary>Runs the model; outputs come back in the order of <paramref name="outputNames"/> and must be disposed.</summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(
        RunOptions? runOptions, IReadOnlyCollection<string> inputNames, IReadOnlyCollection<OrtValue> inputValues,
        IReadOnlyCollection<string> outputNames)
    {
        ArgumentNullException.ThrowIfNull(inputNames);
        ArgumentNullException.ThrowIfNull(inputValues);
        ArgumentNullException.ThrowIfNull(outputNames);
        ObjectDisposedException.ThrowIf(handle.IsClosed, this);
        if (inputNames.Count != inputValues.Count)
        {
            throw new ArgumentException($"{inputNames.Count} input names but {inputValues.Count} input values.", nameof(inputValues));
        }

        var names = inputNames.ToArray();
        var values = inputValues.ToArray();
        var wanted = outputNames.ToArray();
        if (Array.IndexOf(values, null) is var nullAt and >= 0)
        {
            throw new ArgumentNullException(nameof(inputValues), $"The value for input '{names[nullAt]}' is null.");
        }
        var inputNamePtrs = new nint[names.Length];
        var outputNamePtrs = new nint[wanted.Length];
        for (var i = 0; i < names.Length; i++)
        {
            inputNamePtrs[i] = NamePointer(inputNamePointers, names[i], "input");
        }

        for (var i = 0; i < wanted.Length; i++)
        {
            outputNamePtrs[i] = NamePointer(outputNamePointers, wanted[i], "output");
        }

        // ONNX Runtime notices a missing input only when the node needing it runs; say so before starting.
        var missing = InputNames.Except(names, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                $"Model '{ModelName}' is missing input(s) {string.Join(", ", missing.Select(m => $"'{m}'"))}.");
        }

        using var activity = InferenceTelemetry.ActivitySource.StartActivity(InferenceTelemetry.RunActivityName, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            TagRun(activity, values);
        }

        var inputHandles = new nint[values.Length];
        var outputHandles = new nint[wanted.Length];
        var held = new List<SafeHandle>(values.Length + 2);
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Hold a reference on every native object for the length of the call, so a concurrent Dispose
            // cannot free memory ONNX Runtime is reading.
            Hold(handle, held, this);
            for (var i = 0; i < values.Length; i++)
            {
                inputHandles[i] = Hold(values[i].Handle, held, values[i]);
            }

            var runOptionsPointer = runOptions is null ? 0 : Hold(runOptions.Handle, held, runOptions);
            nint status;
            fixed (nint* inNames = inputNamePtrs, inValues = inputHandles, outNames = outputNamePtrs, outValues = outputHandles)
            {
                status = ((delegate* unmanaged[Cdecl]<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)OrtApi.Fn(OrtApiIndex.Run))(
                    handle.DangerousGetHandle(), runOptionsPointer, inNames, inValues, (nuint)values.Length,
                    outNames, (nuint)wanted.Length, outValues);
            }

            OrtApi.Check(status);
        }
        catch (OnnxRuntimeException e)
        {
            foreach (var output in outputHandles.Where(o => o != 0))
            {
                OrtApi.Release(OrtApiIndex.ReleaseValue, output);
            }

            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw new OnnxRuntimeException(e.ErrorCode, $"Model '{ModelName}' could not run: {e.Detail}", e);
        }
        finally
        {
            foreach (var reference in held)
            {
                reference.DangerousRelease();
            }
        }

        var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        InferenceTelemetry.Duration.Record(milliseconds,
            new KeyValuePair<string, object?>(InferenceTelemetry.ModelTag, ModelName),
            new KeyValuePair<string, object?>(InferenceTelemetry.ProviderTag, Provider));
        activity?.SetTag(InferenceTelemetry.DurationAttribute, milliseconds);
        return new DisposableList<OrtValue>(outputHandles.Select(OrtValue.FromNative).ToList());
    }

    private static nint Hold(SafeHandle reference, List<SafeHandle> held, object owner)
    {
        ObjectDisposedException.ThrowIf(reference.IsClosed, owner);
        var success = false;
        reference.DangerousAddRef(ref success);
        held.Add(reference);
        return reference.DangerousGetHandle();
    }

    public void Dispose() => handle.Dispose();

    private OrtSafeHandle Create(SessionOptions? options, SessionFactory factory)
    {
        var env = OrtEnv.Instance();
        using var activity = InferenceTelemetry.ActivitySource.StartActivity(InferenceTelemetry.LoadActivityName);
        var ownOptions = options is null ? new SessionOptions() : null;
        var effective = options ?? ownOptions!;
        ObjectDisposedException.ThrowIf(effective.Handle.IsClosed, effective);
        try
        {
            nint session;
            OrtApi.Check(factory(env.Handle, effective.Handle.DangerousGetHandle(), &session));
            GC.KeepAlive(effective.Handle);
            return new OrtSafeHandle(session, OrtApiIndex.ReleaseSession);
        }
        catch (OnnxRuntimeException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
        finally
        {
            ownOptions?.Dispose();
        }
    }

    private static (string Provider, string Device) ProviderOf(SessionOptions? options) =>
        options is { AppendedProviders.Count: > 0 } && options.AppendedProviders[0] == ExecutionProviders.Cuda
            ? (ExecutionProviders.Cuda, $"cuda:{options.CudaDeviceId ?? 0}")
            : (ExecutionProviders.Cpu, "cpu");

    private nint NamePointer(Dictionary<string, nint> known, string name, string kind)
    {
        if (known.TryGetValue(name, out var pointer))
        {
            return pointer;
        }

        throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
            $"Model '{ModelName}' has no {kind} named '{name}'; its {kind}s are: {string.Join(", ", known.Keys)}.");
    }

    private void TagRun(Activity activity, OrtValue[] values)
    {
        activity.SetTag(InferenceTelemetry.ModelNameAttribute, ModelName);
        activity.SetTag(InferenceTelemetry.ModelVersionAttribute, ModelVersion);
        activity.SetTag(InferenceTelemetry.ProviderAttribute, Provider);
        activity.SetTag(InferenceTelemetry.DeviceAttribute, Device);
        if (values.Length > 0 && values[0].IsTensor)
        {
            var shape = values[0].GetTensorTypeAndShape().Shape;
            activity.SetTag(InferenceTelemetry.BatchSizeAttribute, shape.Length > 0 ? shape[0] : 1);
            activity.SetTag(InferenceTelemetry.InputShapeAttribute, string.Join('x', shape));
        }
    }

    private (IReadOnlyDictionary<string, NodeMetadata> Metadata, IReadOnlyList<string> Names) ReadMetadata(bool input)
    {
        var env = OrtEnv.Instance();
        var session = handle.DangerousGetHandle();
        nuint count;
        OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, nuint*, nint>)OrtApi.Fn(
            input ? OrtApiIndex.SessionGetInputCount : OrtApiIndex.SessionGetOutputCount))(session, &count));

        var metadata = new Dictionary<string, NodeMetadata>(StringComparer.Ordinal);
        var names = new List<string>();
        for (nuint i = 0; i < count; i++)
        {
            nint namePointer;
            OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, nuint, nint, nint*, nint>)OrtApi.Fn(
                input ? OrtApiIndex.SessionGetInputName : OrtApiIndex.SessionGetOutputName))(session, i, env.DefaultAllocator, &namePointer));
            var name = env.TakeString(namePointer);

            nint typeInfo;
            OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint>)OrtApi.Fn(
                input ? OrtApiIndex.SessionGetInputTypeInfo : OrtApiIndex.SessionGetOutputTypeInfo))(session, i, &typeInfo));
            try
            {
                metadata[name] = ReadNode(name, typeInfo);
            }
            finally
            {
                OrtApi.Release(OrtApiIndex.ReleaseTypeInfo, typeInfo);
            }

            names.Add(name);
            (input ? inputNamePointers : outputNamePointers)[name] = PinName(name);
        }

        return (metadata, names);
    }

    private static NodeMetadata ReadNode(string name, nint typeInfo)
    {
        int onnxType;
        OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, int*, nint>)OrtApi.Fn(OrtApiIndex.GetOnnxTypeFromTypeInfo))(typeInfo, &onnxType));
        nint tensorInfo;
        OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, nint*, nint>)OrtApi.Fn(OrtApiIndex.CastTypeInfoToTensorInfo))(typeInfo, &tensorInfo));
        if (tensorInfo == 0)
        {
            // Sequences and maps: described by kind only; this binding runs tensors.
            return new NodeMetadata(name, (OnnxValueType)onnxType, TensorElementType.DataTypeMax, [], []);
        }

        // tensorInfo belongs to typeInfo: it is not released separately.
        var (type, dims, symbols) = TensorShapeReader.ReadWithSymbols(tensorInfo);
        return new NodeMetadata(name, (OnnxValueType)onnxType, type, dims, symbols);
    }

    private ModelMetadata ReadModelMetadata()
    {
        nint metadata;
        OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, nint*, nint>)OrtApi.Fn(OrtApiIndex.SessionGetModelMetadata))(handle.DangerousGetHandle(), &metadata));
        try
        {
            long version;
            OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, long*, nint>)OrtApi.Fn(OrtApiIndex.ModelMetadataGetVersion))(metadata, &version));
            return new ModelMetadata(
                ReadMetadataText(metadata, OrtApiIndex.ModelMetadataGetProducerName),
                ReadMetadataText(metadata, OrtApiIndex.ModelMetadataGetGraphName),
                version);
        }
        finally
        {
            OrtApi.Release(OrtApiIndex.ReleaseModelMetadata, metadata);
        }
    }

    private static string ReadMetadataText(nint metadata, int index)
    {
        var env = OrtEnv.Instance();
        nint text;
        OrtApi.Check(((delegate* unmanaged[Cdecl]<nint, nint, nint*, nint>)OrtApi.Fn(index))(metadata, env.DefaultAllocator, &text));
        return env.TakeString(text);
    }

    private nint PinName(string name)
    {
        var bytes = GC.AllocateArray<byte>(Encoding.UTF8.GetByteCount(name) + 1, pinned: true);
        Encoding.UTF8.GetBytes(name, bytes);
        pinnedNames.Add(bytes);
        return (nint)Unsafe.AsPointer(ref bytes[0]);
    }
}
