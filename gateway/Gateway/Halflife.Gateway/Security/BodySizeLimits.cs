using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;

namespace Halflife.Gateway.Security;

/// <summary>
/// Per-route request size limits, set before anything reads the body: small for every /api route, large only for
/// uploads (whose services stream and enforce their own, exact limits). In the embedded default an upload endpoint
/// may widen the limit again itself; through YARP this is the only limit in front of the service.
/// </summary>
public static partial class BodySizeLimits
{
    /// <summary>Routes whose bodies are streamed uploads: no limit here, the service counts bytes as it stores them.</summary>
    private static readonly (string Method, Regex Path)[] Uploads =
    [
        ("POST", IngestInstances()),
        ("POST", SlidesRoot()),
        ("PUT", SlideUploadChunk()),
    ];

    public static IApplicationBuilder UseBodySizeLimits(this IApplicationBuilder app, GatewayOptions.BodyLimitSettings settings) => app.Use((context, next) =>
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments("/api") && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = LimitFor(request.Method, request.Path.Value ?? "", settings);
        return next(context);
    });

    public static long? LimitFor(string method, string path, GatewayOptions.BodyLimitSettings settings)
    {
        foreach (var (m, pattern) in Uploads)
            if (string.Equals(m, method, StringComparison.OrdinalIgnoreCase) && pattern.IsMatch(path)) return null;
        if (HttpMethods.IsPost(method) || HttpMethods.IsPut(method))
            if (Annotations().IsMatch(path)) return settings.AnnotationBytes;
        return settings.DefaultBytes;
    }

    [GeneratedRegex("^/api/ingest/instances/?$", RegexOptions.IgnoreCase)]
    private static partial Regex IngestInstances();

    [GeneratedRegex("^/api/slides/?$", RegexOptions.IgnoreCase)]
    private static partial Regex SlidesRoot();

    [GeneratedRegex("^/api/slides/uploads/[0-9a-f-]{36}/?$", RegexOptions.IgnoreCase)]
    private static partial Regex SlideUploadChunk();

    [GeneratedRegex("^/api/slides/[0-9a-f-]{36}/annotations(/.*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Annotations();
}
