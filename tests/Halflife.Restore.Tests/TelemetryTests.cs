using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Halflife.Inference;
using Halflife.Restore.Pipeline;
using Halflife.ServiceDefaults.Messaging;

namespace Halflife.Restore.Tests;

/// <summary>One trace from the scan's receipt to the restored result, with the inference span's details, and the
/// inference and queue-wait metrics tagged as the dashboards expect.</summary>
[Trait("Category", "Slow")]
public sealed class TelemetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly ActivitySource Scanner = new("Halflife.Restore.Tests.Scanner");

    [Fact]
    public async Task Receipt_restore_and_inference_share_one_trace_and_the_metrics_carry_model_and_provider()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name.StartsWith("Halflife", StringComparison.Ordinal) || s.Name == "MassTransit",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var inference = new ConcurrentQueue<(double Value, Dictionary<string, object?> Tags)>();
        var queueWait = new ConcurrentQueue<(double Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name is InferenceTelemetry.DurationHistogramName or QueueWaitObserver.HistogramName) l.EnableMeasurementEvents(instrument);
            },
        };
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags) map[tag.Key] = tag.Value;
            (instrument.Name == QueueWaitObserver.HistogramName ? queueWait : inference).Enqueue((value, map));
        });
        meters.Start();

        await using var host = await RestoreHost.StartAsync();
        ActivityTraceId traceId;
        Guid instanceId;
        using (var receipt = Scanner.StartActivity("test scan received"))
        {
            Assert.NotNull(receipt);
            traceId = receipt.TraceId;
            instanceId = await host.ReceiveAsync(RestoreHost.NmFile, Ct);
        }
        var derived = await host.DerivedOfAsync(instanceId, Ct);
        // The ImageRestored event leaves through the outbox; its publish span closes the restore's part of the trace.
        await RestoreHost.PollAsync(() => Task.FromResult(spans.FirstOrDefault(s => s.TraceId == traceId && s.OperationName == "outbox publish")),
            TimeSpan.FromSeconds(30), "the outbox publish of ImageRestored in the scan's trace");

        var trace = spans.Where(s => s.TraceId == traceId).ToList();
        Assert.Contains(trace, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer);
        var restore = Assert.Single(trace, s => s.OperationName == "restore instance");
        Assert.Equal(derived.ModelVersion, restore.GetTagItem("model.version"));
        // The test file carries no injection time: auto mode restores it with the count model and says why.
        Assert.Equal(RestoreModes.Counts, restore.GetTagItem("restore.mode"));
        Assert.Equal("time since injection unknown", restore.GetTagItem("restore.mode_reason"));
        var run = Assert.Single(trace, s => s.OperationName == InferenceTelemetry.RunActivityName);
        Assert.Equal(restore.SpanId, run.ParentSpanId);
        Assert.Equal("bone-denoise-counts", run.GetTagItem(InferenceTelemetry.ModelNameAttribute));
        Assert.Equal("1.0.0", run.GetTagItem(InferenceTelemetry.ModelVersionAttribute));
        Assert.Equal(ExecutionProviders.Cpu, run.GetTagItem(InferenceTelemetry.ProviderAttribute));
        Assert.Equal("cpu", run.GetTagItem(InferenceTelemetry.DeviceAttribute));
        Assert.Equal("2x1x256x256", run.GetTagItem(InferenceTelemetry.InputShapeAttribute));
        Assert.Equal(2L, run.GetTagItem(InferenceTelemetry.BatchSizeAttribute));
        Assert.True((double)run.GetTagItem(InferenceTelemetry.DurationAttribute)! > 0);

        Assert.Contains(inference, m => Equals(m.Tags[InferenceTelemetry.ModelTag], "bone-denoise-counts")
                                        && Equals(m.Tags[InferenceTelemetry.ProviderTag], ExecutionProviders.Cpu) && m.Value > 0);
        Assert.Contains(queueWait, m => Equals(m.Tags[QueueWaitObserver.QueueTag], "instance-received")
                                        && Equals(m.Tags[QueueWaitObserver.MessageTypeTag], "InstanceReceived") && m.Value >= 0);
    }
}
