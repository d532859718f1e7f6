using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Halflife.Inference;

/// <summary>
/// The names under which inference is traced and measured. They are part of the platform's contract with its
/// dashboards (docs/inference.md, docs/observability.md): change them only together with those.
/// </summary>
public static class InferenceTelemetry
{
    /// <summary>ActivitySource and Meter name: subscribe to this in OpenTelemetry.</summary>
    public const string SourceName = "Halflife.Inference";

    /// <summary>One span per <see cref="InferenceSession.Run(RunOptions?, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>.</summary>
    public const string RunActivityName = "inference.run";

    /// <summary>One span per session creation (model load and graph optimisation).</summary>
    public const string LoadActivityName = "inference.load";

    /// <summary>Histogram of run durations in milliseconds, tagged <see cref="ModelTag"/> and <see cref="ProviderTag"/>.</summary>
    public const string DurationHistogramName = "halflife.inference.duration";

    public const string ModelTag = "model";
    public const string ProviderTag = "provider";

    public const string ModelNameAttribute = "halflife.model.name";
    public const string ModelVersionAttribute = "halflife.model.version";
    public const string ProviderAttribute = "halflife.inference.provider";
    public const string DeviceAttribute = "halflife.inference.device";
    public const string BatchSizeAttribute = "halflife.inference.batch_size";
    public const string InputShapeAttribute = "halflife.inference.input_shape";
    public const string DurationAttribute = "halflife.inference.duration_ms";

    internal static readonly ActivitySource ActivitySource = new(SourceName);

    internal static readonly Meter Meter = new(SourceName);

    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        DurationHistogramName, unit: "ms", description: "Wall time of one ONNX Runtime session run.");
}
