using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;

namespace Halflife.Segmentation.Tests.Service;

/// <summary>One trace from the POST through the outbox and the bus to the job and its stages; the job's metrics.</summary>
[Trait("Category", "Slow")]
[Collection(ServiceCollection.Name)]
public sealed class TelemetryTests(ServiceFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_job_span_continues_the_POSTs_trace_and_parents_the_stage_spans_and_the_job_is_measured()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name.StartsWith("Halflife", StringComparison.Ordinal) || s.Name is "Microsoft.AspNetCore" or "MassTransit",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var durations = new ConcurrentQueue<(double Seconds, string? Outcome, string? Model)>();
        var depths = new ConcurrentQueue<long>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == SegmentationTelemetry.SourceName) l.EnableMeasurementEvents(instrument);
            },
        };
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name != SegmentationTelemetry.SegmentationJobDurationName) return;
            var t = tags.ToArray();
            durations.Enqueue((value, (string?)t.FirstOrDefault(x => x.Key == SegmentationTelemetry.OutcomeTag).Value,
                (string?)t.FirstOrDefault(x => x.Key == SegmentationTelemetry.ModelTag).Value));
        });
        meters.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == SegmentationTelemetry.SegmentationQueueDepthName) depths.Enqueue(value);
        });
        meters.Start();

        using var response = await fixture.Host.Http.PostAsJsonAsync("/api/segmentation/jobs",
            new { slideId = fixture.SlideId, model = ServiceFixture.HeModel, region = new { x = 0, y = 0, width = 1500, height = 1500 } }, Ct);
        var traceId = response.Headers.GetValues("traceresponse").Single().Split('-')[1];
        var id = (string)(await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(Ct))!["id"]!;
        meters.RecordObservableInstruments();
        Assert.Contains(depths, d => d >= 1); // the job just queued is counted
        await fixture.Host.WaitForStateAsync(id, "succeeded");

        var job = await SegmentationHost.PollAsync(() => Task.FromResult(spans.FirstOrDefault(s =>
                s.OperationName == SegmentationTelemetry.JobActivityName && s.TraceId.ToHexString() == traceId)),
            TimeSpan.FromSeconds(10), "no segmentation job span in the POST's trace " + traceId + ": " + string.Join("; ", spans.Select(s => $"{s.OperationName} {s.TraceId} {s.ParentSpanId}")));
        Assert.Equal(fixture.SlideId.ToString(), job.GetTagItem(SegmentationTelemetry.SlideIdAttribute));
        Assert.Equal(ServiceFixture.HeModel, job.GetTagItem(SegmentationTelemetry.ModelNameAttribute));
        Assert.Equal("1.0.0", job.GetTagItem(SegmentationTelemetry.ModelVersionAttribute));
        Assert.True(job.GetTagItem(SegmentationTelemetry.TilesTotalAttribute) is int total && total > 0);
        Assert.NotNull(job.GetTagItem(SegmentationTelemetry.TilesSkippedAttribute));
        var children = spans.Where(s => s.ParentSpanId == job.SpanId).Select(s => s.OperationName).ToHashSet();
        Assert.Contains(SegmentationTelemetry.StoreActivityName, children);
        Assert.Contains(SegmentationTelemetry.InferenceActivityName, children);
        Assert.Contains(SegmentationTelemetry.ReadTilesActivityName, spans.Where(s => s.TraceId == job.TraceId).Select(s => s.OperationName));

        var measured = await SegmentationHost.PollAsync(() => Task.FromResult<object?>(durations.Any(d => d.Model == ServiceFixture.HeModel && d.Outcome == "succeeded") ? durations : null),
            TimeSpan.FromSeconds(10), "no job duration recorded");
        Assert.All(durations, d => Assert.True(d.Seconds > 0));
    }
}
