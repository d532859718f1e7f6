using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Halflife.Inference.Tests.Support;

namespace Halflife.Inference.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public void Each_run_is_an_activity_with_model_provider_batch_shape_and_duration()
    {
        var modelName = "telemetry-" + Guid.NewGuid().ToString("N");
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == InferenceTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem(InferenceTelemetry.ModelNameAttribute), modelName))
                {
                    stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        using var session = new InferenceSession(TinyModels.AddFloat) { ModelName = modelName, ModelVersion = "2.1.0" };
        using var input = OrtValue.CreateTensorValueFromMemory(new float[3 * 2 * 4 * 5], [3, 2, 4, 5]);
        using (session.Run(new Dictionary<string, OrtValue> { ["x"] = input }))
        {
        }

        var activity = Assert.Single(stopped);
        Assert.Equal(InferenceTelemetry.RunActivityName, activity.OperationName);
        Assert.Equal("2.1.0", activity.GetTagItem(InferenceTelemetry.ModelVersionAttribute));
        Assert.Equal(ExecutionProviders.Cpu, activity.GetTagItem(InferenceTelemetry.ProviderAttribute));
        Assert.Equal("cpu", activity.GetTagItem(InferenceTelemetry.DeviceAttribute));
        Assert.Equal(3L, activity.GetTagItem(InferenceTelemetry.BatchSizeAttribute));
        Assert.Equal("3x2x4x5", activity.GetTagItem(InferenceTelemetry.InputShapeAttribute));
        Assert.IsType<double>(activity.GetTagItem(InferenceTelemetry.DurationAttribute));
        Assert.True((double)activity.GetTagItem(InferenceTelemetry.DurationAttribute)! >= 0);
    }

    [Fact]
    public void A_failed_run_marks_its_activity_as_an_error()
    {
        var modelName = "failing-" + Guid.NewGuid().ToString("N");
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == InferenceTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem(InferenceTelemetry.ModelNameAttribute), modelName))
                {
                    stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var session = new InferenceSession(TinyModels.AddFloat) { ModelName = modelName };
        using var input = OrtValue.CreateTensorValueFromMemory(new float[8], [2, 2, 2]);

        Assert.Throws<OnnxRuntimeException>(() => session.Run(new Dictionary<string, OrtValue> { ["x"] = input }));

        Assert.Equal(ActivityStatusCode.Error, Assert.Single(stopped).Status);
    }

    [Fact]
    public void Run_durations_are_recorded_in_milliseconds_tagged_with_model_and_provider()
    {
        var modelName = "metric-" + Guid.NewGuid().ToString("N");
        var measurements = new ConcurrentQueue<(double Value, string? Unit, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == InferenceTelemetry.SourceName && instrument.Name == InferenceTelemetry.DurationHistogramName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            var tagMap = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                tagMap[tag.Key] = tag.Value;
            }

            if (Equals(tagMap.GetValueOrDefault(InferenceTelemetry.ModelTag), modelName))
            {
                measurements.Enqueue((value, instrument.Unit, tagMap));
            }
        });
        listener.Start();

        using var session = new InferenceSession(TinyModels.AddFloat) { ModelName = modelName };
        using var input = OrtValue.CreateTensorValueFromMemory(new float[4], [1, 2, 1, 2]);
        for (var i = 0; i < 3; i++)
        {
            using var _ = session.Run(new Dictionary<string, OrtValue> { ["x"] = input });
        }

        Assert.Equal(3, measurements.Count);
        Assert.All(measurements, m =>
        {
            Assert.Equal("ms", m.Unit);
            Assert.True(m.Value >= 0);
            Assert.Equal(ExecutionProviders.Cpu, m.Tags[InferenceTelemetry.ProviderTag]);
        });
    }
}
