using System.Text;
using Halflife.Deployment.Tests.Infrastructure;

namespace Halflife.Deployment.Tests.Monitoring;

/// <summary>
/// Prometheus' own checker (promtool, Debian package prometheus): the configuration and rules load, the alert
/// rules fire on the situations monitoring/prometheus/alerts.test.yml describes, and every dashboard query is
/// valid PromQL.
/// </summary>
public sealed class PromtoolTests
{
    private static string Promtool() => Tool.Require("promtool", "HALFLIFE_PROMTOOL", "prometheus");

    private static string PrometheusFolder => Repository.PathOf("monitoring", "prometheus");

    [Fact]
    public void Alert_rules_fire_as_their_unit_tests_expect()
    {
        var result = Tool.Run(Promtool(), ["test", "rules", "alerts.test.yml"], PrometheusFolder);
        Assert.True(result.ExitCode == 0, $"promtool test rules failed:\n{result.Output}\n{result.Error}");
    }

    [Fact]
    public void Every_alert_rule_has_a_unit_test()
    {
        var tests = File.ReadAllText(Path.Combine(PrometheusFolder, "alerts.test.yml"));
        foreach (var alert in MonitoringFiles.AlertNames())
            Assert.True(tests.Contains($"alertname: {alert}", StringComparison.Ordinal), $"alerts.test.yml does not test {alert}");
    }

    [Fact]
    public void The_prometheus_configuration_loads_with_its_rules()
    {
        var promtool = Promtool();
        // The configuration names the rules where the container mounts them; point it at the repository's copy.
        var directory = Directory.CreateTempSubdirectory("halflife-prometheus-");
        try
        {
            var config = File.ReadAllText(Path.Combine(PrometheusFolder, "prometheus.yml"))
                .Replace("/etc/prometheus/alerts.yml", Path.Combine(PrometheusFolder, "alerts.yml"), StringComparison.Ordinal);
            var path = Path.Combine(directory.FullName, "prometheus.yml");
            File.WriteAllText(path, config);
            var result = Tool.Run(promtool, ["check", "config", path]);
            Assert.True(result.ExitCode == 0, $"promtool check config failed:\n{result.Output}\n{result.Error}");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Every_dashboard_query_is_valid_promql()
    {
        var promtool = Promtool();
        // promtool has no "check expression", but it parses every expression of a rule file: make each panel
        // query a recording rule. Grafana's own variables are replaced by what Grafana would substitute.
        var rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
        var index = 0;
        foreach (var query in MonitoringFiles.Dashboards().SelectMany(MonitoringFiles.DashboardQueries))
        {
            var expression = query.Expression.Replace("$__rate_interval", "5m", StringComparison.Ordinal)
                .Replace("$__interval", "1m", StringComparison.Ordinal).Replace("$__range", "1h", StringComparison.Ordinal);
            rules.Append("      # ").Append(query.Source.Replace('\n', ' ')).Append('\n');
            rules.Append("      - record: dashboard:query_").Append(index++).Append('\n');
            rules.Append("        expr: '").Append(expression.Replace("'", "''", StringComparison.Ordinal)).Append("'\n");
        }
        Assert.True(index > 0, "no dashboard queries found");

        var file = Path.Combine(Path.GetTempPath(), $"halflife-dashboard-rules-{Guid.NewGuid():N}.yml");
        try
        {
            File.WriteAllText(file, rules.ToString());
            var result = Tool.Run(promtool, ["check", "rules", file]);
            Assert.True(result.ExitCode == 0, $"a dashboard query is not valid PromQL:\n{result.Output}\n{result.Error}");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
