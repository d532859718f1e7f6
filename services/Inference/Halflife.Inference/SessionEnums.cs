namespace Halflife.Inference;

// Names and values as in the C API and Microsoft.ML.OnnxRuntime, so that code written against either compiles.
#pragma warning disable CA1707 // identifiers mirror the C API on purpose

/// <summary>How much ONNX Runtime rewrites the graph before running it.</summary>
public enum GraphOptimizationLevel
{
    ORT_DISABLE_ALL = 0,
    ORT_ENABLE_BASIC = 1,
    ORT_ENABLE_EXTENDED = 2,
    ORT_ENABLE_ALL = 99,
}

/// <summary>Whether independent nodes run one after another or in parallel (inter-op threads).</summary>
public enum ExecutionMode
{
    ORT_SEQUENTIAL = 0,
    ORT_PARALLEL = 1,
}

/// <summary>Minimum severity ONNX Runtime's own log writes (to stderr).</summary>
public enum OrtLoggingLevel
{
    ORT_LOGGING_LEVEL_VERBOSE = 0,
    ORT_LOGGING_LEVEL_INFO = 1,
    ORT_LOGGING_LEVEL_WARNING = 2,
    ORT_LOGGING_LEVEL_ERROR = 3,
    ORT_LOGGING_LEVEL_FATAL = 4,
}
#pragma warning restore CA1707
