using Halflife.Deployment.Tests.Docker;
using Halflife.Deployment.Tests.Infrastructure;

namespace Halflife.Deployment.Tests.Compose;

public sealed class ComposeTests
{
    private static readonly ComposeFile Compose = ComposeFile.Load();

    public static TheoryData<string> Hosts()
    {
        var data = new TheoryData<string>();
        foreach (var host in Repository.ServiceHosts()) data.Add(host.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public void Each_host_is_a_compose_service_built_from_its_dockerfile_and_wired_to_the_platform(string name)
    {
        var host = Repository.ServiceHosts().Single(h => h.Name == name);
        Assert.True(Compose.Services.TryGetValue(name, out var service), $"docker-compose.yml has no service '{name}'");

        var build = service.MapAt("build");
        Assert.True(build is not null, $"{name}: no build section");
        Assert.Equal(".", build.Str("context"));
        Assert.Equal(Path.GetRelativePath(Repository.Root, host.DockerfilePath).Replace('\\', '/'), build.Str("dockerfile"));

        var env = ComposeFile.Environment(service);
        Assert.Equal(name, env.GetValueOrDefault("OTEL_SERVICE_NAME"));
        Assert.Equal("http://otel-collector:4317", env.GetValueOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.Equal("http://+:8080", env.GetValueOrDefault("ASPNETCORE_URLS"));
        Assert.Equal("RabbitMq", env.GetValueOrDefault("Bus__Transport"));
        Assert.Equal("Postgres", env.GetValueOrDefault("Database__Provider"));
        Assert.Equal("S3", env.GetValueOrDefault("BlobStore__Kind"));

        var deps = ComposeFile.DependsOn(service);
        if (name != "gateway")
        {
            Assert.Equal("service_healthy", deps.GetValueOrDefault("rabbitmq"));
            Assert.Equal("service_healthy", deps.GetValueOrDefault("postgres"));
            Assert.Equal("service_completed_successfully", deps.GetValueOrDefault("minio-init"));
        }
    }

    [Fact]
    public void The_gateway_routes_every_api_prefix_in_the_code_to_the_service_that_serves_it()
    {
        var env = ComposeFile.Environment(Compose.Services["gateway"]);
        var hosts = ApiPrefixes.HostsByPrefix();
        Assert.Equal("restore", hosts["models"]); // the registry API lives in Restore's process
        foreach (var (prefix, host) in hosts.Where(h => h.Value != "gateway"))
            Assert.True(env.GetValueOrDefault($"Gateway__Services__{prefix}") == $"http://{host}:8080", $"the gateway does not send /api/{prefix} to {host}");
        foreach (var route in env.Keys.Where(k => k.StartsWith("Gateway__Services__", StringComparison.Ordinal)))
            Assert.True(hosts.ContainsKey(route["Gateway__Services__".Length..]), $"{route}: no service serves that prefix");
    }

    [Fact]
    public void Only_the_gateway_and_the_dicom_and_hl7_listeners_are_published()
    {
        var halflife = Repository.ServiceHosts().Select(h => h.Name).ToHashSet();
        var published = Compose.Services.Where(s => halflife.Contains(s.Key) && s.Value.ContainsKey("ports")).Select(s => s.Key).Order();
        Assert.Equal(["gateway", "ingest", "reporting"], published);
        Assert.Contains(Compose.Services["ingest"].ListAt("ports").OfType<string>(), p => p.EndsWith(":11112", StringComparison.Ordinal));
        Assert.Equal([":2575"], Compose.Services["reporting"].ListAt("ports").OfType<string>().Select(p => p[p.LastIndexOf(':')..]));
        var reporting = ComposeFile.Environment(Compose.Services["reporting"]);
        Assert.Equal("true", reporting.GetValueOrDefault("Reporting__Hl7__Enabled"));
        Assert.Equal("2575", reporting.GetValueOrDefault("Reporting__Hl7__Port"));
    }

    [Fact]
    public void Every_service_but_auth_validates_tokens_against_the_auth_service()
    {
        foreach (var name in Repository.ServiceHosts().Select(h => h.Name))
        {
            var env = ComposeFile.Environment(Compose.Services[name]);
            Assert.Equal(name == "auth" ? "" : "http://auth:8080", env.GetValueOrDefault("Security__Authority"));
            if (name != "auth") Assert.Equal("false", env.GetValueOrDefault("Security__RequireHttpsMetadata"));
        }
        // Several Auth replicas (or a recreated container) must decrypt the same signing keys.
        Assert.StartsWith("${", ComposeFile.Environment(Compose.Services["auth"]).GetValueOrDefault("Auth__KeyEncryptionKey"), StringComparison.Ordinal);
    }

    [Fact]
    public void Services_behind_the_gateway_believe_its_forwarded_headers_and_the_gateway_believes_nobody()
    {
        foreach (var name in Repository.ServiceHosts().Select(h => h.Name))
        {
            var trusted = ComposeFile.Environment(Compose.Services[name]).Where(e => e.Key.StartsWith("Security__KnownNetworks__", StringComparison.Ordinal)).ToList();
            // The gateway faces the clients: trusting the Docker network there would let any client forge its address.
            if (name == "gateway") Assert.Empty(trusted);
            else Assert.Contains(trusted, e => e.Value == "172.16.0.0/12");
        }
    }

    [Fact]
    public void Both_variants_of_a_gpu_worker_get_the_same_settings()
    {
        foreach (var name in new[] { "restore", "segmentation" })
        {
            var cpu = ComposeFile.Environment(Compose.Services[name]);
            var gpu = ComposeFile.Environment(Compose.Services[$"{name}-gpu"]);
            var missing = cpu.Keys.Where(k => !gpu.ContainsKey(k)).ToList();
            Assert.True(missing.Count == 0, $"{name}-gpu lacks {string.Join(", ", missing)}");
        }
        Assert.Contains("Restore__Forwarding__Host", ComposeFile.Environment(Compose.Services["restore"]).Keys);
        Assert.Contains("Segmentation__DefaultModel", ComposeFile.Environment(Compose.Services["segmentation"]).Keys);
    }

    [Fact]
    public void Every_health_condition_waits_on_a_service_that_has_a_health_check()
    {
        foreach (var (name, service) in Compose.Services)
        {
            foreach (var (dependency, condition) in ComposeFile.DependsOn(service))
            {
                Assert.True(Compose.Services.ContainsKey(dependency), $"{name} depends on unknown service {dependency}");
                if (condition != "service_healthy") continue;
                var target = Compose.Services[dependency];
                var dockerfile = target.MapAt("build")?.Str("dockerfile");
                var hasCheck = target.ContainsKey("healthcheck")
                               || (dockerfile is not null && Dockerfile.Load(Repository.PathOf(dockerfile.Split('/'))).FinalStage.Last("HEALTHCHECK") is not null);
                Assert.True(hasCheck, $"{name} waits for {dependency} to be healthy, but {dependency} has no health check");
            }
        }
    }

    [Fact]
    public void Minio_runs_four_erasure_coded_nodes_and_an_init_job_makes_a_versioned_bucket()
    {
        for (var i = 1; i <= 4; i++)
        {
            var node = Compose.Services[$"minio{i}"];
            Assert.Equal("server http://minio{1...4}/data{1...2} --console-address \":9001\"", node.Str("command"));
            Assert.True(node.ContainsKey("healthcheck"), $"minio{i} has no health check");
            var volumes = node.ListAt("volumes").OfType<string>().ToList();
            Assert.Contains($"minio{i}-data1:/data1", volumes);
            Assert.Contains($"minio{i}-data2:/data2", volumes);
        }
        var init = Compose.Services["minio-init"];
        Assert.StartsWith("minio/mc", init.Str("image"), StringComparison.Ordinal);
        var script = string.Join('\n', init.ListAt("entrypoint").OfType<string>());
        Assert.Contains("mc mb --ignore-existing", script, StringComparison.Ordinal);
        Assert.Contains("mc version enable", script, StringComparison.Ordinal);
    }

    [Fact]
    public void The_observability_and_infrastructure_services_are_all_there()
    {
        Assert.Contains("management", Compose.Services["rabbitmq"].Str("image"), StringComparison.Ordinal);
        Assert.StartsWith("postgres:", Compose.Services["postgres"].Str("image"), StringComparison.Ordinal);
        Assert.Contains("opentelemetry-collector", Compose.Services["otel-collector"].Str("image"), StringComparison.Ordinal);
        Assert.True(Compose.Services.ContainsKey("tempo") || Compose.Services.ContainsKey("jaeger"), "no trace store");
        Assert.StartsWith("prom/prometheus", Compose.Services["prometheus"].Str("image"), StringComparison.Ordinal);
        var grafanaMounts = Compose.Services["grafana"].ListAt("volumes").OfType<string>().ToList();
        Assert.Contains(grafanaMounts, v => v.StartsWith("./monitoring/grafana/provisioning:", StringComparison.Ordinal));
        Assert.Contains(grafanaMounts, v => v.StartsWith("./monitoring/grafana/dashboards:", StringComparison.Ordinal));
    }

    [Fact]
    public void Bind_mounts_exist_and_named_volumes_are_declared()
    {
        var declared = Yaml.Map(Compose.Root["volumes"], "volumes").Keys.ToHashSet(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, service) in Compose.Services)
        {
            foreach (var volume in service.ListAt("volumes").OfType<string>())
            {
                var source = volume.Split(':')[0];
                if (source.StartsWith("./", StringComparison.Ordinal))
                    Assert.True(File.Exists(Repository.PathOf(source[2..].Split('/'))) || Directory.Exists(Repository.PathOf(source[2..].Split('/'))),
                        $"{name}: bind mount {source} does not exist in the repository");
                else
                    used.Add(source);
            }
        }
        Assert.Empty(used.Except(declared));
        Assert.Empty(declared.Except(used));
    }

    [Fact]
    public void Secrets_come_from_the_env_file_and_the_example_lists_every_required_variable()
    {
        var example = File.ReadAllLines(Repository.PathOf(".env.example"))
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.TrimStart().StartsWith('#'))
            .Select(l => l.Split('=')[0].Trim()).ToHashSet(StringComparer.Ordinal);
        foreach (var (variable, hasDefault) in Compose.Variables())
        {
            if (!hasDefault) Assert.True(example.Contains(variable), $"docker-compose.yml requires ${{{variable}}} but .env.example does not list it");
        }

        foreach (var (name, service) in Compose.Services)
        {
            foreach (var (key, value) in ComposeFile.Environment(service))
            {
                var secretish = key.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) || key.Contains("SecretKey", StringComparison.Ordinal)
                                || key.Contains("AccessKey", StringComparison.Ordinal) || key.EndsWith("_USER", StringComparison.Ordinal)
                                || key.EndsWith("_PASS", StringComparison.Ordinal) || key.Contains("KEY", StringComparison.Ordinal)
                                || key.EndsWith("Key", StringComparison.Ordinal);
                if (secretish) Assert.True(value.Contains("${", StringComparison.Ordinal), $"{name}: {key} is written into docker-compose.yml instead of coming from .env");
            }
            var connection = ComposeFile.Environment(service).GetValueOrDefault("Database__PostgresConnectionString");
            if (connection is not null) Assert.Contains("Password=${", connection, StringComparison.Ordinal);
        }
    }
}
