namespace Halflife.Slides.Upload;

/// <summary>An upload the client must fix; carries the HTTP status the API answers with.</summary>
public sealed class UploadException(int statusCode, string message, long? currentOffset = null) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
    /// <summary>For 409 on a chunk: where the client must resume.</summary>
    public long? CurrentOffset { get; } = currentOffset;
}
