using Halflife.Deployment.Tests.Infrastructure;

namespace Halflife.Deployment.Tests.Monitoring;

/// <summary>
/// Dashboards and alert rules query exactly what the code emits: every metric name maps back to an instrument in
/// services/ or gateway/ by the OTLP->Prometheus rules, or to a documented external source
/// (monitoring/external-metrics.txt); and each part of the code that emits metrics has them on a dashboard.
/// </summary>
public sealed class DashboardMetricTests
{
    private static readonly (IReadOnlyList<Instrument> Instruments, IReadOnlyList<UnresolvedInstrument> Unresolved) Catalog = InstrumentCatalog.Scan();

    public static TheoryData<string> Dashboards()
    {
        var data = new TheoryData<string>();
        foreach (var path in MonitoringFiles.Dashboards()) data.Add(Path.GetFileName(path));
        return data;
    }

    [Fact]
    public void The_code_emits_metrics_under_names_known_at_compile_time()
    {
        Assert.NotEmpty(Catalog.Instruments);
        Assert.True(Catalog.Unresolved.Count == 0,
            "metric names must be string literals or constants so dashboards can rely on them: " +
            string.Join("; ", Catalog.Unresolved.Select(u => $"{u.Source} ({u.Expression}: {u.Problem})")));
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Every_metric_a_dashboard_queries_is_emitted_or_documented_as_external(string dashboard)
    {
        var queries = MonitoringFiles.DashboardQueries(Path.Combine(MonitoringFiles.DashboardsFolder, dashboard));
        Assert.NotEmpty(queries);
        AssertKnown(queries);
    }

    [Fact]
    public void Every_metric_an_alert_rule_queries_is_emitted_or_documented_as_external() =>
        AssertKnown(MonitoringFiles.AlertQueries());

    [Fact]
    public void Every_area_of_the_code_that_emits_metrics_has_them_on_a_dashboard()
    {
        var queried = MonitoringFiles.Dashboards().SelectMany(MonitoringFiles.DashboardQueries)
            .SelectMany(q => PromQl.MetricNames(q.Expression)).ToHashSet(StringComparer.Ordinal);
        var missing = Catalog.Instruments.GroupBy(i => i.Area)
            .Where(area => !area.Any(i => PrometheusNames.SeriesOf(i).Any(queried.Contains)))
            .Select(area => $"{area.Key} ({string.Join(", ", area.Select(i => i.Name))})")
            .ToList();
        Assert.True(missing.Count == 0, "no dashboard shows any metric of: " + string.Join("; ", missing));
    }

    [Fact]
    public void The_dashboards_cover_what_operators_watch()
    {
        var all = string.Join('\n', MonitoringFiles.Dashboards().SelectMany(MonitoringFiles.DashboardQueries).Select(q => q.Expression));
        // Queue depths and error queues (RabbitMQ plugin), inference percentiles per model and provider, GPU
        // utilisation (DCGM), HTTP errors (ASP.NET Core), tile latency, DICOM associations.
        Assert.Contains("rabbitmq_queue_messages_ready", all, StringComparison.Ordinal);
        Assert.Contains("_error\"", all, StringComparison.Ordinal);
        Assert.Contains("histogram_quantile(0.95, sum by (le, model, provider) (rate(halflife_inference_duration_milliseconds_bucket", all, StringComparison.Ordinal);
        Assert.Contains("histogram_quantile(0.50, sum by (le, model, provider) (rate(halflife_inference_duration_milliseconds_bucket", all, StringComparison.Ordinal);
        Assert.Contains("DCGM_FI_DEV_GPU_UTIL", all, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_count{http_response_status_code=~\"5..\"}", all, StringComparison.Ordinal);
        Assert.Contains("http_route=~\".*tiles.*\"", all, StringComparison.Ordinal);
        Assert.Contains("dicom_scp_association_active", all, StringComparison.Ordinal);
        Assert.Contains("dicom_scp_association_rejected_total", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_alert_and_every_external_source_is_explained_in_the_operations_guide()
    {
        var operations = File.ReadAllText(Repository.PathOf("docs", "operations.md"));
        string[] required = ["ErrorQueueNotEmpty", "QueueDepthHigh", "InferenceLatencyHigh", "DicomAssociationFailures", "HttpServerErrors", "TileLatencyHigh", "ServiceDown"];
        var alerts = MonitoringFiles.AlertNames();
        foreach (var name in required) Assert.Contains(name, alerts);
        foreach (var name in alerts) Assert.True(operations.Contains($"### {name}", StringComparison.Ordinal), $"docs/operations.md has no section '### {name}'");
        foreach (var prefix in MonitoringFiles.ExternalPrefixes())
            Assert.True(operations.Contains($"`{prefix}", StringComparison.Ordinal), $"external metric prefix '{prefix}' is not explained in docs/operations.md");
    }

    private static void AssertKnown(IEnumerable<Query> queries)
    {
        var emitted = Catalog.Instruments.SelectMany(PrometheusNames.SeriesOf).ToHashSet(StringComparer.Ordinal);
        var external = MonitoringFiles.ExternalPrefixes();
        var unknown = new List<string>();
        foreach (var query in queries)
        {
            var names = PromQl.MetricNames(query.Expression);
            Assert.True(names.Count > 0, $"{query.Source}: no metric in '{query.Expression}'");
            foreach (var name in names)
            {
                if (emitted.Contains(name)) continue;
                if (external.Any(p => p == name || (p.EndsWith('_') && name.StartsWith(p, StringComparison.Ordinal)))) continue;
                unknown.Add($"{query.Source}: {name}");
            }
        }
        Assert.True(unknown.Count == 0, "queried but neither emitted by the code nor listed in monitoring/external-metrics.txt:\n" + string.Join('\n', unknown));
    }
}
