using System.Text.Json;
using Halflife.Deployment.Tests.Compose;
using Halflife.Deployment.Tests.Infrastructure;

namespace Halflife.Deployment.Tests.Monitoring;

/// <summary>The monitoring pieces agree with each other: ports, names, data source ids and mount paths.</summary>
public sealed class MonitoringConfigTests
{
    private static readonly Dictionary<string, object?> Collector = Yaml.Load(Repository.PathOf("monitoring", "otel-collector", "config.yaml"));

    [Fact]
    public void Every_collector_pipeline_uses_only_defined_components()
    {
        var service = Collector.MapAt("service")!;
        foreach (var (name, value) in service.MapAt("pipelines")!)
        {
            var pipeline = Yaml.Map(value, name);
            foreach (var section in new[] { "receivers", "processors", "exporters" })
            {
                IReadOnlyCollection<string> defined = Collector.MapAt(section)?.Keys ?? (IReadOnlyCollection<string>)[];
                foreach (var component in pipeline.ListAt(section).OfType<string>())
                    Assert.True(defined.Contains(component), $"pipeline {name} uses {section[..^1]} '{component}', which is not defined");
            }
            Assert.NotEmpty(pipeline.ListAt("receivers"));
            Assert.NotEmpty(pipeline.ListAt("exporters"));
        }
        foreach (var extension in service.ListAt("extensions").OfType<string>())
            Assert.True(Collector.MapAt("extensions")?.ContainsKey(extension) == true, $"extension {extension} is not defined");
        Assert.True(service.MapAt("pipelines")!.ContainsKey("metrics") && service.MapAt("pipelines")!.ContainsKey("traces"));
    }

    [Fact]
    public void Services_prometheus_and_tempo_meet_the_collector_on_the_same_ports()
    {
        var otlpGrpc = Port(Collector.MapAt("receivers", "otlp", "protocols", "grpc")!.Str("endpoint")!);
        var prometheusExporter = Port(Collector.MapAt("exporters", "prometheus")!.Str("endpoint")!);
        var tempoEndpoint = Collector.MapAt("exporters", "otlp/tempo")!.Str("endpoint")!;

        var compose = ComposeFile.Load();
        foreach (var host in Repository.ServiceHosts())
            Assert.Equal($"http://otel-collector:{otlpGrpc}", ComposeFile.Environment(compose.Services[host.Name])["OTEL_EXPORTER_OTLP_ENDPOINT"]);

        var scrape = Yaml.Load(Repository.PathOf("monitoring", "prometheus", "prometheus.yml")).ListAt("scrape_configs")
            .Select(s => Yaml.Map(s, "scrape_config")).Single(s => s.Str("job_name") == "otel-collector");
        var target = scrape.ListAt("static_configs").Select(c => Yaml.Map(c, "static_config")).SelectMany(c => c.ListAt("targets")).OfType<string>().Single();
        Assert.Equal($"otel-collector:{prometheusExporter}", target);

        var tempo = Yaml.Load(Repository.PathOf("monitoring", "tempo", "tempo.yaml"));
        var tempoGrpc = Port(tempo.MapAt("distributor", "receivers", "otlp", "protocols", "grpc")!.Str("endpoint")!);
        Assert.Equal($"tempo:{tempoGrpc}", tempoEndpoint);
        Assert.True(compose.Services.ContainsKey(tempoEndpoint.Split(':')[0]));
    }

    [Fact]
    public void Dashboards_use_provisioned_data_sources_and_are_mounted_where_grafana_looks()
    {
        var provisioning = Repository.PathOf("monitoring", "grafana", "provisioning");
        var sources = Yaml.Load(Path.Combine(provisioning, "datasources", "datasources.yaml")).ListAt("datasources")
            .Select(d => Yaml.Map(d, "datasource").Str("uid")).OfType<string>().ToHashSet(StringComparer.Ordinal);

        foreach (var dashboard in MonitoringFiles.Dashboards())
        {
            using var json = JsonDocument.Parse(File.ReadAllText(dashboard));
            Assert.True(json.RootElement.TryGetProperty("uid", out _), $"{dashboard} has no uid (links would break on re-provisioning)");
            foreach (var uid in DataSourceUids(json.RootElement))
                Assert.True(sources.Contains(uid), $"{Path.GetFileName(dashboard)} uses data source '{uid}', which is not provisioned");
        }

        var provider = Yaml.Map(Yaml.Load(Path.Combine(provisioning, "dashboards", "dashboards.yaml")).ListAt("providers").Single(), "provider");
        var path = provider.MapAt("options")!.Str("path");
        var mounts = ComposeFile.Load().Services["grafana"].ListAt("volumes").OfType<string>();
        Assert.Contains($"./monitoring/grafana/dashboards:{path}:ro", mounts);
    }

    private static IEnumerable<string> DataSourceUids(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "datasource" && property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("uid", out var uid))
                    yield return uid.GetString()!;
                foreach (var nested in DataSourceUids(property.Value)) yield return nested;
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                foreach (var nested in DataSourceUids(item)) yield return nested;
        }
    }

    private static int Port(string endpoint) => int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}
