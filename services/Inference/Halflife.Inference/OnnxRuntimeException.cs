namespace Halflife.Inference;

/// <summary>Error codes of the ONNX Runtime C API (<c>OrtErrorCode</c>), same values.</summary>
public enum OrtErrorCode
{
    Ok = 0,
    Fail = 1,
    InvalidArgument = 2,
    NoSuchFile = 3,
    NoModel = 4,
    EngineError = 5,
    RuntimeException = 6,
    InvalidProtobuf = 7,
    ModelLoaded = 8,
    NotImplemented = 9,
    InvalidGraph = 10,
    EpFail = 11,
}

/// <summary>An error reported by ONNX Runtime, or found before calling it; mirrors Microsoft.ML.OnnxRuntime's type.</summary>
public sealed class OnnxRuntimeException : Exception
{
    public OnnxRuntimeException(OrtErrorCode errorCode, string message)
        : base($"[ErrorCode:{errorCode}] {message}")
    {
        ErrorCode = errorCode;
        Detail = message;
    }

    public OnnxRuntimeException(OrtErrorCode errorCode, string message, Exception inner)
        : base($"[ErrorCode:{errorCode}] {message}", inner)
    {
        ErrorCode = errorCode;
        Detail = message;
    }

    public OrtErrorCode ErrorCode { get; }

    /// <summary>The message without the error-code prefix.</summary>
    public string Detail { get; }
}
