using Halflife.ServiceDefaults.Storage;
using Microsoft.Net.Http.Headers;

namespace Halflife.Slides.Api;

/// <summary>
/// Streams a blob with single-range support (resumed downloads, viewers that seek). Done here rather than with
/// Results.Stream's range processing because that needs a seekable stream, and an S3 blob stream is not one.
/// </summary>
internal static class RangeDownload
{
    public static async Task<IResult> SendAsync(HttpContext context, IBlobStore blobs, string key, long length, string fileName, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.Headers.AcceptRanges = "bytes";
        var header = context.Request.Headers.Range.ToString();
        if (string.IsNullOrEmpty(header))
        {
            var whole = await blobs.OpenReadAsync(key, cancellationToken: cancellationToken);
            return Results.Stream(whole, "application/octet-stream", fileName);
        }

        if (!RangeHeaderValue.TryParse(header, out var ranges) || ranges.Unit != "bytes" || ranges.Ranges.Count != 1
            || !TryResolve(ranges.Ranges.Single(), length, out var from, out var to))
        {
            response.Headers.ContentRange = $"bytes */{length}";
            return Results.StatusCode(StatusCodes.Status416RangeNotSatisfiable);
        }

        var part = await blobs.OpenReadAsync(key, ByteRange.From(from, to - from + 1), cancellationToken);
        response.StatusCode = StatusCodes.Status206PartialContent;
        response.Headers.ContentRange = $"bytes {from}-{to}/{length}";
        response.ContentLength = to - from + 1;
        response.ContentType = "application/octet-stream";
        await using (part) await part.CopyToAsync(response.Body, cancellationToken);
        return Results.Empty;
    }

    private static bool TryResolve(RangeItemHeaderValue range, long length, out long from, out long to)
    {
        if (range.From is { } start)
        {
            from = start;
            to = Math.Min(range.To ?? length - 1, length - 1);
        }
        else
        {
            // Suffix range: the last N bytes.
            from = Math.Max(0, length - (range.To ?? 0));
            to = length - 1;
        }
        return from <= to && from < length;
    }
}
