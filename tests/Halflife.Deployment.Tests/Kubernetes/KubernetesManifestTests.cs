using Halflife.Deployment.Tests.Infrastructure;

namespace Halflife.Deployment.Tests.Kubernetes;

/// <summary>The base manifests and overlay patches as written (no kubectl needed).</summary>
public sealed class KubernetesManifestTests
{
    private static readonly Manifests Base = Manifests.Base();

    private static readonly string[] HttpScaled = ["gateway", "ingest", "reporting", "auth"];
    private static readonly string[] QueueScaled = ["restore", "segmentation"];

    public static TheoryData<string> Hosts()
    {
        var data = new TheoryData<string>();
        foreach (var host in Repository.ServiceHosts()) data.Add(host.Name);
        return data;
    }

    [Fact]
    public void Every_yaml_file_parses()
    {
        var files = Manifests.YamlFiles();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var documents = Yaml.LoadAll(file);
            Assert.True(documents.Count > 0, $"{file} holds no YAML document");
            if (Path.GetFileName(file) == "kustomization.yaml") continue;
            foreach (var o in documents)
            {
                Assert.False(string.IsNullOrEmpty(o.Str("apiVersion")), $"{file}: an object without apiVersion");
                Assert.False(string.IsNullOrEmpty(o.Str("kind")), $"{file}: an object without kind");
                Assert.False(string.IsNullOrEmpty(Manifests.NameOf(o)), $"{file}: a {o.Str("kind")} without a name");
            }
        }
    }

    [Fact]
    public void Kustomizations_use_only_what_kustomize_v2_in_old_kubectl_understands()
    {
        string[] known = ["apiVersion", "kind", "resources", "bases", "namespace", "namePrefix", "nameSuffix", "commonLabels",
            "commonAnnotations", "configMapGenerator", "secretGenerator", "generatorOptions", "patchesStrategicMerge",
            "patchesJson6902", "images", "vars", "crds"];
        foreach (var file in Manifests.YamlFiles().Where(f => Path.GetFileName(f) == "kustomization.yaml"))
        {
            var kustomization = Yaml.Load(file);
            foreach (var key in kustomization.Keys)
                Assert.True(known.Contains(key), $"{file}: '{key}' is newer than the kustomize inside kubectl 1.20");
            // A generator reading files that are not committed would make rendering fail for everyone else.
            Assert.False(kustomization.ContainsKey("secretGenerator"), $"{file}: secrets are created with kubectl, not generated from the tree");
            foreach (var listed in kustomization.ListAt("resources").Concat(kustomization.ListAt("patchesStrategicMerge")).OfType<string>())
                Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(file)!, listed)), $"{file}: lists {listed}, which does not exist");
        }
        Assert.True(Directory.Exists(Path.Combine(Manifests.Root, "overlays", "cpu")));
        Assert.True(Directory.Exists(Path.Combine(Manifests.Root, "overlays", "gpu")));
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public void Each_host_is_a_hardened_deployment_with_probes_resources_and_a_disruption_budget(string name)
    {
        var deployment = Base.Find("Deployment", name);
        Assert.True(deployment is not null, $"k8s/base has no Deployment '{name}'");
        var pod = Manifests.PodSpec(deployment);
        Assert.Equal("true", pod.MapAt("securityContext")?.Str("runAsNonRoot"));

        var container = Manifests.Containers(deployment).Single();
        Assert.Equal($"halflife/{name}", container.Str("image")!.Split(':')[0]);
        Assert.Equal("/health/ready", container.MapAt("readinessProbe", "httpGet")?.Str("path"));
        Assert.Equal("/health/live", container.MapAt("livenessProbe", "httpGet")?.Str("path"));
        Assert.NotNull(container.MapAt("resources", "requests")?.Str("cpu"));
        Assert.NotNull(container.MapAt("resources", "requests")?.Str("memory"));
        Assert.NotNull(container.MapAt("resources", "limits")?.Str("memory"));

        var security = container.MapAt("securityContext");
        Assert.Equal("true", security?.Str("readOnlyRootFilesystem"));
        Assert.Equal("false", security?.Str("allowPrivilegeEscalation"));

        // A read-only root needs writable scratch space: /tmp (the runtime's IPC and temp files) and the data folder.
        var emptyDirs = pod.ListAt("volumes").Select(v => Yaml.Map(v, name)).Where(v => v.ContainsKey("emptyDir")).Select(v => v.Str("name")).ToHashSet();
        var mounts = container.ListAt("volumeMounts").Select(m => Yaml.Map(m, name)).ToList();
        foreach (var path in new[] { "/tmp", "/var/lib/halflife" })
            Assert.Contains(mounts, m => m.Str("mountPath") == path && emptyDirs.Contains(m.Str("name")));

        var env = container.ListAt("env").Select(e => Yaml.Map(e, name)).ToList();
        Assert.Contains(env, e => e.Str("name") == "OTEL_SERVICE_NAME" && e.Str("value") == name);

        Assert.Contains(Base.OfKind("PodDisruptionBudget"), p => p.MapAt("spec", "selector", "matchLabels")?.Str("app.kubernetes.io/name") == name);
    }

    [Fact]
    public void Stateless_services_scale_on_cpu_and_inference_workers_on_their_queue()
    {
        foreach (var name in HttpScaled)
        {
            var hpa = Base.Find("HorizontalPodAutoscaler", name);
            Assert.True(hpa is not null, $"no HorizontalPodAutoscaler for {name}");
            Assert.Equal(name, hpa.MapAt("spec", "scaleTargetRef")?.Str("name"));
        }
        foreach (var name in QueueScaled)
        {
            var scaled = Base.Find("ScaledObject", name);
            Assert.True(scaled is not null, $"no KEDA ScaledObject for {name}");
            Assert.Equal(name, scaled.MapAt("spec", "scaleTargetRef")?.Str("name"));
            var trigger = Yaml.Map(scaled.MapAt("spec")!.ListAt("triggers").Single(), name);
            Assert.Equal("rabbitmq", trigger.Str("type"));
            Assert.Equal("QueueLength", trigger.MapAt("metadata")?.Str("mode"));
            var authentication = trigger.MapAt("authenticationRef")?.Str("name");
            Assert.NotNull(Base.Find("TriggerAuthentication", authentication ?? ""));
        }
    }

    [Fact]
    public void Every_keda_trigger_in_base_and_overlays_watches_a_queue_its_service_consumes()
    {
        var hosts = Repository.ServiceHosts().ToDictionary(h => h.Name);
        var checkedAny = false;
        foreach (var file in Manifests.YamlFiles().Where(f => Path.GetFileName(f) != "kustomization.yaml"))
        {
            foreach (var scaled in Yaml.LoadAll(file).Where(o => o.Str("kind") == "ScaledObject"))
            {
                // An overlay patch names the object; the target comes from the base object it patches.
                var name = Manifests.NameOf(scaled);
                var target = scaled.MapAt("spec", "scaleTargetRef")?.Str("name") ?? Base.Find("ScaledObject", name)?.MapAt("spec", "scaleTargetRef")?.Str("name");
                Assert.True(target is not null && hosts.ContainsKey(target), $"{file}: ScaledObject {name} scales no known service");
                var queues = ConsumerQueues.Of(hosts[target]);
                foreach (var trigger in scaled.MapAt("spec")!.ListAt("triggers").Select(t => Yaml.Map(t, name)).Where(t => t.Str("type") == "rabbitmq"))
                {
                    var queue = trigger.MapAt("metadata")?.Str("queueName");
                    // A service whose consumers are still being written cannot be checked yet; one with consumers must match.
                    if (queues.Count == 0) continue;
                    Assert.True(queues.Contains(queue!), $"{file}: {target} scales on queue '{queue}', but its consumers read {string.Join(", ", queues)}");
                    checkedAny = true;
                }
            }
        }
        Assert.True(checkedAny, "no KEDA trigger could be checked against a consumer class");
    }

    [Fact]
    public void No_two_services_consume_the_same_queue()
    {
        // MassTransit names a queue after the consumer class alone: two services with a consumer of the same class
        // name would share one queue and each receive only some of the messages.
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var host in Repository.ServiceHosts())
        {
            foreach (var queue in ConsumerQueues.Of(host))
            {
                Assert.False(owners.TryGetValue(queue, out var other), $"queue '{queue}' is consumed by both {other} and {host.Name}: name the consumer after its service");
                owners[queue] = host.Name;
            }
        }
        Assert.Equal("restore", owners["instance-received"]);
        Assert.Equal("denoise", owners["denoise-instance-received"]);
    }

    [Fact]
    public void The_gateway_routes_every_api_prefix_in_the_code_to_the_service_that_serves_it()
    {
        var env = EnvOf(Base.Find("Deployment", "gateway")!);
        foreach (var (prefix, host) in ApiPrefixes.HostsByPrefix().Where(h => h.Value != "gateway"))
            Assert.True(env.GetValueOrDefault($"Gateway__Services__{prefix}") == $"http://{host}:8080", $"the gateway does not send /api/{prefix} to {host}");
    }

    [Fact]
    public void Every_service_but_auth_validates_tokens_against_the_auth_service()
    {
        var shared = ConfigMapLiterals("halflife-config");
        Assert.Equal("http://auth:8080", shared.GetValueOrDefault("Security__Authority"));
        Assert.Equal("false", shared.GetValueOrDefault("Security__RequireHttpsMetadata"));
        foreach (var host in Repository.ServiceHosts())
        {
            var deployment = Base.Find("Deployment", host.Name)!;
            var container = Manifests.Containers(deployment).Single();
            Assert.Contains(container.ListAt("envFrom").Select(e => Yaml.Map(e, host.Name)), e => e.MapAt("configMapRef")?.Str("name") == "halflife-config");
            // env wins over envFrom: Auth reads its own keys in process instead of fetching them from itself.
            var own = EnvOf(deployment);
            if (host.Name == "auth") Assert.Equal("", own.GetValueOrDefault("Security__Authority"));
            else Assert.False(own.ContainsKey("Security__Authority"), $"{host.Name} overrides Security__Authority");
        }
    }

    [Fact]
    public void Services_behind_the_gateway_believe_its_forwarded_headers_and_the_gateway_sees_the_clients()
    {
        Assert.Contains("Security__KnownNetworks__0", ConfigMapLiterals("halflife-behind-gateway").Keys);
        foreach (var host in Repository.ServiceHosts())
        {
            var sources = Manifests.Containers(Base.Find("Deployment", host.Name)!).Single().ListAt("envFrom")
                .Select(e => Yaml.Map(e, host.Name).MapAt("configMapRef")?.Str("name")).ToList();
            Assert.Equal(host.Name != "gateway", sources.Contains("halflife-behind-gateway"));
        }
        // Without Local the load balancer's node rewrites the source address: every client would share one rate limit.
        Assert.Equal("Local", Base.Find("Service", "gateway")!.MapAt("spec")!.Str("externalTrafficPolicy"));
    }

    [Fact]
    public void Every_config_map_key_a_workload_reads_is_generated_by_the_base_kustomization()
    {
        var references = Base.Objects.SelectMany(o => ConfigMapKeyRefs(o)).ToList();
        Assert.Contains(references, r => r.ConfigMap == "halflife-pacs");
        foreach (var (configMap, key) in references)
            Assert.True(ConfigMapLiterals(configMap).ContainsKey(key), $"config map {configMap} has no key {key} (k8s/base/kustomization.yaml)");
    }

    private static Dictionary<string, string?> EnvOf(Dictionary<string, object?> deployment) =>
        Manifests.Containers(deployment).Single().ListAt("env").Select(e => Yaml.Map(e, "env"))
            .ToDictionary(e => e.Str("name")!, e => e.Str("value"), StringComparer.Ordinal);

    /// <summary>A configMapGenerator's literals ("KEY=value") in k8s/base/kustomization.yaml.</summary>
    private static Dictionary<string, string> ConfigMapLiterals(string name)
    {
        var kustomization = Yaml.Load(Path.Combine(Manifests.Root, "base", "kustomization.yaml"));
        var generator = kustomization.ListAt("configMapGenerator").Select(g => Yaml.Map(g, "generator")).SingleOrDefault(g => g.Str("name") == name);
        Assert.True(generator is not null, $"k8s/base/kustomization.yaml generates no config map {name}");
        return generator.ListAt("literals").OfType<string>().Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
    }

    private static IEnumerable<(string ConfigMap, string Key)> ConfigMapKeyRefs(object? node) => node switch
    {
        Dictionary<string, object?> map when map.MapAt("configMapKeyRef") is { } r => [(r.Str("name") ?? "", r.Str("key") ?? "")],
        Dictionary<string, object?> map => map.Values.SelectMany(ConfigMapKeyRefs),
        IEnumerable<object?> list when node is not string => list.SelectMany(ConfigMapKeyRefs),
        _ => [],
    };

    [Fact]
    public void Secrets_are_referenced_never_written_into_the_tree()
    {
        foreach (var file in Manifests.YamlFiles())
        {
            foreach (var o in Yaml.LoadAll(file))
                Assert.False(o.Str("kind") == "Secret", $"{file} defines a Secret: create it with kubectl instead (docs/operations.md)");
        }

        var operations = File.ReadAllText(Repository.PathOf("docs", "operations.md"));
        var references = Base.Objects.SelectMany(Manifests.SecretKeyRefs).ToList();
        Assert.NotEmpty(references);
        foreach (var (secret, key) in references)
        {
            Assert.Equal("halflife-secrets", secret);
            Assert.True(operations.Contains($"`{key}`", StringComparison.Ordinal), $"secret key '{key}' is not documented in docs/operations.md");
        }

        // Credentials reach containers only through secretKeyRef, never as literal values.
        foreach (var workload in Base.Objects.Where(o => o.Str("kind") is "Deployment" or "StatefulSet" or "Job"))
        {
            foreach (var env in Manifests.Containers(workload).SelectMany(c => c.ListAt("env")).Select(e => Yaml.Map(e, "env")))
            {
                var name = env.Str("name") ?? "";
                var sensitive = name.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) || name.Contains("PASS", StringComparison.Ordinal)
                                || name.EndsWith("Key", StringComparison.Ordinal) || name.EndsWith("_KEY", StringComparison.Ordinal)
                                || name.Contains("ConnectionString", StringComparison.Ordinal) || name.EndsWith("Uri", StringComparison.Ordinal);
                if (sensitive) Assert.True(env.MapAt("valueFrom", "secretKeyRef") is not null, $"{Manifests.NameOf(workload)}: {name} is not taken from a secret");
            }
        }
    }

    [Fact]
    public void Data_stores_are_stateful_sets_and_minio_is_distributed_over_four_pods()
    {
        foreach (var name in new[] { "postgres", "rabbitmq", "minio" })
            Assert.True(Base.Find("StatefulSet", name) is not null, $"no StatefulSet {name}");

        var minio = Base.Find("StatefulSet", "minio")!;
        Assert.Equal("4", minio.MapAt("spec")!.Str("replicas"));
        Assert.Equal("Parallel", minio.MapAt("spec")!.Str("podManagementPolicy"));
        var headless = Base.Find("Service", minio.MapAt("spec")!.Str("serviceName")!);
        Assert.Equal("None", headless?.MapAt("spec")?.Str("clusterIP"));
        var args = string.Join(' ', Manifests.Containers(minio).Single().ListAt("args").OfType<string>());
        Assert.Contains("http://minio-{0...3}.", args, StringComparison.Ordinal);
        Assert.Contains("/data{1...2}", args, StringComparison.Ordinal);
        Assert.Equal(2, minio.MapAt("spec")!.ListAt("volumeClaimTemplates").Count);
    }

    [Fact]
    public void Only_the_gateway_and_the_dicom_and_hl7_ports_are_reachable_from_outside()
    {
        var loadBalancers = Base.OfKind("Service").Where(s => s.MapAt("spec")?.Str("type") == "LoadBalancer").ToList();
        Assert.Equal(["gateway", "ingest", "reporting"], loadBalancers.Select(s => s.MapAt("spec", "selector")!.Str("app.kubernetes.io/name")!).Order());
        var dicom = loadBalancers.Single(s => s.MapAt("spec", "selector")!.Str("app.kubernetes.io/name") == "ingest");
        Assert.Equal(["11112"], dicom.MapAt("spec")!.ListAt("ports").Select(p => Yaml.Map(p, "port").Str("port")!));

        // HL7: the Service's port reaches the container port the listener is configured for.
        var hl7 = loadBalancers.Single(s => s.MapAt("spec", "selector")!.Str("app.kubernetes.io/name") == "reporting");
        var hl7Port = Yaml.Map(Assert.Single(hl7.MapAt("spec")!.ListAt("ports")), "port");
        Assert.Equal("2575", hl7Port.Str("port"));
        var reporting = Base.Find("Deployment", "reporting")!;
        var containerPort = Manifests.Containers(reporting).Single().ListAt("ports").Select(p => Yaml.Map(p, "port")).Single(p => p.Str("name") == hl7Port.Str("targetPort"));
        Assert.Equal("2575", containerPort.Str("containerPort"));
        Assert.Equal("2575", EnvOf(reporting).GetValueOrDefault("Reporting__Hl7__Port"));
        Assert.Equal("true", EnvOf(reporting).GetValueOrDefault("Reporting__Hl7__Enabled"));

        var policies = Base.OfKind("NetworkPolicy").ToList();
        Assert.Contains(policies, p => p.MapAt("spec", "podSelector") is { Count: 0 } && p.MapAt("spec")!.ListAt("ingress").Count == 0
                                       && p.MapAt("spec")!.ListAt("policyTypes").Contains("Ingress"));

        // A rule without "from" admits everyone: allowed only for gateway:8080, ingest:11112 and reporting:2575.
        var open = new List<string>();
        foreach (var policy in policies)
        {
            var target = policy.MapAt("spec", "podSelector", "matchLabels")?.Str("app.kubernetes.io/name") ?? "*";
            foreach (var rule in policy.MapAt("spec")!.ListAt("ingress").Select(r => Yaml.Map(r, "rule")))
            {
                if (rule.ListAt("from").Count > 0) continue;
                foreach (var port in rule.ListAt("ports").Select(p => Yaml.Map(p, "port").Str("port"))) open.Add($"{target}:{port}");
                if (rule.ListAt("ports").Count == 0) open.Add($"{target}:*");
            }
        }
        Assert.Equal(["gateway:8080", "ingest:11112", "reporting:2575"], open.Order());

        // Data stores admit only Halflife tiers (and, for RabbitMQ, KEDA and Prometheus by namespace).
        foreach (var policy in policies.Where(p => p.MapAt("spec", "podSelector", "matchLabels")?.Str("halflife.io/tier") == "data"))
        {
            foreach (var source in policy.MapAt("spec")!.ListAt("ingress").SelectMany(r => Yaml.Map(r, "rule").ListAt("from")).Select(f => Yaml.Map(f, "from")))
                Assert.Contains(source.MapAt("podSelector", "matchLabels")?.Str("halflife.io/tier"), new[] { "service", "gateway", "ops" });
        }
    }

    [Fact]
    public void The_gpu_overlay_puts_restore_and_segmentation_on_gpu_nodes_with_one_gpu_each()
    {
        var patches = new Manifests(Yaml.LoadAll(Path.Combine(Manifests.Root, "overlays", "gpu", "gpu-workers.yaml")));
        foreach (var name in QueueScaled)
        {
            var deployment = patches.Find("Deployment", name);
            Assert.True(deployment is not null, $"the gpu overlay does not patch {name}");
            var pod = Manifests.PodSpec(deployment);
            Assert.NotNull(pod.MapAt("nodeSelector"));
            Assert.Contains(pod.ListAt("tolerations").Select(t => Yaml.Map(t, "toleration")), t => t.Str("key") == "nvidia.com/gpu");
            Assert.Equal("1", Manifests.Containers(deployment).Single().MapAt("resources", "limits")?.Str("nvidia.com/gpu"));
        }
        var kustomization = Yaml.Load(Path.Combine(Manifests.Root, "overlays", "gpu", "kustomization.yaml"));
        var images = kustomization.ListAt("images").Select(i => Yaml.Map(i, "image")).ToList();
        foreach (var name in QueueScaled)
            Assert.EndsWith("-gpu", images.Single(i => i.Str("name") == $"halflife/{name}").Str("newTag"), StringComparison.Ordinal);
    }
}
