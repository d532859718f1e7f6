namespace Halflife.Deployment.Tests.Monitoring;

/// <summary>The OTLP -> Prometheus naming rules the dashboards depend on, on known examples.</summary>
public sealed class PrometheusNamesTests
{
    [Theory]
    [InlineData("halflife.inference.duration", "ms", InstrumentKind.Histogram, "halflife_inference_duration_milliseconds")]
    [InlineData("http.server.request.duration", "s", InstrumentKind.Histogram, "http_server_request_duration_seconds")]
    [InlineData("dicom.scp.c_store.received", null, InstrumentKind.Counter, "dicom_scp_c_store_received_total")]
    [InlineData("dicom.scp.association.active", null, InstrumentKind.UpDownCounter, "dicom_scp_association_active")]
    [InlineData("kestrel.active_connections", "{connection}", InstrumentKind.UpDownCounter, "kestrel_active_connections")]
    [InlineData("halflife.blob.written", "By", InstrumentKind.Counter, "halflife_blob_written_bytes_total")]
    [InlineData("halflife.tiles.total", null, InstrumentKind.Counter, "halflife_tiles_total")]
    [InlineData("halflife.cache.hit_ratio", "1", InstrumentKind.ObservableGauge, "halflife_cache_hit_ratio")]
    [InlineData("halflife.gpu.load", "1", InstrumentKind.Gauge, "halflife_gpu_load_ratio")]
    [InlineData("halflife.upload.rate", "By/s", InstrumentKind.Gauge, "halflife_upload_rate_bytes_per_second")]
    [InlineData("halflife.queue.seconds", "s", InstrumentKind.Histogram, "halflife_queue_seconds")]
    [InlineData("messaging.masstransit.consume", "ea", InstrumentKind.Counter, "messaging_masstransit_consume_ea_total")]
    [InlineData("halflife..odd-name", null, InstrumentKind.UpDownCounter, "halflife_odd_name")]
    public void Base_names_follow_the_collector(string name, string? unit, InstrumentKind kind, string expected) =>
        Assert.Equal(expected, PrometheusNames.BaseName(name, unit, kind));

    [Fact]
    public void Histograms_are_queried_through_bucket_sum_and_count()
    {
        var series = PrometheusNames.SeriesOf(new Instrument("halflife.inference.duration", "ms", InstrumentKind.Histogram, "Inference", "x"));
        Assert.Equal(["halflife_inference_duration_milliseconds_bucket", "halflife_inference_duration_milliseconds_sum", "halflife_inference_duration_milliseconds_count"], series);
    }
}
