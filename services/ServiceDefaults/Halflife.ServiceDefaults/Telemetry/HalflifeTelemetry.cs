using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Halflife.ServiceDefaults.Telemetry;

/// <summary>
/// Names of the project's own activity sources and meters. Every source and meter starts with "Halflife." so the
/// telemetry set-up can subscribe to all of them with one wildcard; docs/observability.md lists them.
/// </summary>
public static class HalflifeTelemetry
{
    public const string Prefix = "Halflife";

    public static readonly ActivitySource Messaging = new("Halflife.Messaging");

    public static ActivitySource Source(string service) => new($"{Prefix}.{service}");

    public static Meter Meter(string service) => new($"{Prefix}.{service}");
}
