using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Halflife.Denoise.Pipeline;

/// <summary>Span and metric names of the Denoise service (docs/observability.md, docs/denoise.md).</summary>
public static class DenoiseTelemetry
{
    public const string SourceName = "Halflife.Denoise";
    public const string ActivityName = "denoise instance";

    /// <summary>Wall time of denoising one instance (all frames), in milliseconds, tagged with the method and the outcome.</summary>
    public const string DenoiseDurationName = "halflife.denoise.duration";

    internal static readonly ActivitySource Activities = new(SourceName);
    internal static readonly Meter Meter = new(SourceName);
    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        DenoiseDurationName, unit: "ms", description: "Wall time of denoising one instance, all frames.");
}
