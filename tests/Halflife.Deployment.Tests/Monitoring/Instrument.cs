namespace Halflife.Deployment.Tests.Monitoring;

public enum InstrumentKind { Counter, Histogram, UpDownCounter, Gauge, ObservableCounter, ObservableGauge, ObservableUpDownCounter }

/// <summary>One System.Diagnostics.Metrics instrument as created in the code.</summary>
/// <param name="Area">The top folder under services/ or gateway/ that creates it ("Inference", "Dicom").</param>
public sealed record Instrument(string Name, string? Unit, InstrumentKind Kind, string Area, string Source);

/// <summary>A Create*() call whose name is not a compile-time string (it cannot be checked against dashboards).</summary>
/// <param name="Problem">Why: computed at run time, an unknown constant, or one that two classes declare.</param>
public sealed record UnresolvedInstrument(string Expression, string Source, string? Problem = null);
