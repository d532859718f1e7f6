using System.Collections.Concurrent;
using System.Diagnostics;

namespace Halflife.Integration.Tests;

/// <summary>Collects every finished Activity in this process, so a test can check what one trace went through.</summary>
public sealed class SpanCollector : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _spans = new();

    public SpanCollector()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => _spans.Enqueue(a),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> InTrace(ActivityTraceId traceId) => _spans.Where(s => s.TraceId == traceId).ToList();

    public Activity Single(string source, string operation) =>
        _spans.Single(s => s.Source.Name == source && s.OperationName == operation);

    public IReadOnlyList<Activity> All(string source, string operation) =>
        _spans.Where(s => s.Source.Name == source && s.OperationName == operation).ToList();

    public void Dispose() => _listener.Dispose();
}
