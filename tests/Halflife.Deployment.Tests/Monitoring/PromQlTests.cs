namespace Halflife.Deployment.Tests.Monitoring;

public sealed class PromQlTests
{
    [Theory]
    [InlineData("histogram_quantile(0.95, sum by (le, model) (rate(halflife_inference_duration_milliseconds_bucket[$__rate_interval])))",
        new[] { "halflife_inference_duration_milliseconds_bucket" })]
    [InlineData("sum by (queue) (rabbitmq_queue_messages{queue=~\".+_error\", vhost!=\"x{y}\"}) > 0", new[] { "rabbitmq_queue_messages" })]
    [InlineData("sum(rate(a_total[5m])) / sum(rate(b_total[5m] offset 1h)) * 100", new[] { "a_total", "b_total" })]
    [InlineData("group by (job) (max_over_time(target_info[1h])) unless group by (job) (target_info)", new[] { "target_info" })]
    [InlineData("up{job=~\"$job\"} == 0 and on (instance) node_up bool 1", new[] { "up", "node_up" })]
    [InlineData("max without (gpu) (DCGM_FI_DEV_GPU_UTIL) / ignoring (x) group_left (y) kube_info", new[] { "DCGM_FI_DEV_GPU_UTIL", "kube_info" })]
    [InlineData("vector(1) + scalar(count(x_count)) - 2e3", new[] { "x_count" })]
    public void Finds_exactly_the_metric_names(string expression, string[] expected) =>
        Assert.Equal(expected, PromQl.MetricNames(expression));

    [Fact]
    public void Refuses_unbalanced_matchers() =>
        Assert.Throws<FormatException>(() => PromQl.MetricNames("rate(x{a=\"b\"[5m])"));
}
