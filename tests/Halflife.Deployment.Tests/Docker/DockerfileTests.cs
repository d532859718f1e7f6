using System.Text.Json;
using Halflife.Deployment.Tests.Infrastructure;

namespace Halflife.Deployment.Tests.Docker;

/// <summary>Every Dockerfile of the repository, and one per deployable host.</summary>
public sealed class DockerfileTests
{
    public static TheoryData<string> AllDockerfiles()
    {
        var data = new TheoryData<string>();
        foreach (var path in Repository.Dockerfiles()) data.Add(Path.GetRelativePath(Repository.Root, path));
        return data;
    }

    public static TheoryData<string> Hosts()
    {
        var data = new TheoryData<string>();
        foreach (var host in Repository.ServiceHosts()) data.Add(host.Name);
        return data;
    }

    [Fact]
    public void The_repository_has_hosts_and_dockerfiles_to_check()
    {
        // Guards the theories below against silently checking nothing if discovery breaks.
        Assert.Contains(Repository.ServiceHosts(), h => h.Name == "gateway");
        Assert.True(Repository.ServiceHosts().Count >= 7, "expected the six services and the gateway");
        Assert.True(Repository.Dockerfiles().Count >= 10, "expected a Dockerfile per host, Standalone and two GPU variants");
    }

    [Theory]
    [MemberData(nameof(AllDockerfiles))]
    public void Parses_is_multi_stage_and_runs_as_non_root_with_a_health_check(string relativePath)
    {
        var file = Dockerfile.Load(Path.Combine(Repository.Root, relativePath));
        var final = file.FinalStage;

        Assert.True(file.Stages.Count >= 2, $"{relativePath}: build in one stage and run in another, so the SDK stays out of the image");
        Assert.DoesNotContain("/dotnet/sdk", final.BaseImage, StringComparison.Ordinal);

        var user = final.Last("USER");
        Assert.True(user is not null, $"{relativePath}: the final stage has no USER (it would run as root)");
        var account = user.Arguments.Split(':')[0].Trim();
        Assert.False(account is "root" or "0", $"{relativePath}: the final stage runs as {account}");

        var health = final.Last("HEALTHCHECK");
        Assert.True(health is not null, $"{relativePath}: the final stage has no HEALTHCHECK");
        Assert.Contains("/health/live", health.Arguments, StringComparison.Ordinal);

        Assert.True(final.All("EXPOSE").Any(e => e.Arguments.Split(' ').Contains("8080")), $"{relativePath}: EXPOSE 8080 missing");
        Assert.Contains(final.All("ENV"), e => e.Arguments.Contains("ASPNETCORE_URLS=http://+:8080", StringComparison.Ordinal));
        Assert.True(final.Last("ENTRYPOINT") is not null, $"{relativePath}: no ENTRYPOINT");
        ExecFormIsValidJson(relativePath, final.Last("ENTRYPOINT")!);
        ExecFormIsValidJson(relativePath, health, afterCmd: true);
    }

    [Theory]
    [MemberData(nameof(AllDockerfiles))]
    public void Copies_only_from_stages_defined_before(string relativePath)
    {
        var file = Dockerfile.Load(Path.Combine(Repository.Root, relativePath));
        foreach (var stage in file.Stages)
        {
            var earlier = file.Stages.Take(stage.Index).Select(s => s.Name).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var copy in stage.All("COPY"))
            {
                if (!copy.SplitFlags().Flags.TryGetValue("from", out var source)) continue;
                // --from may also name an image (contains ':' or '/'); a bare word must be an earlier stage.
                if (source.Contains(':', StringComparison.Ordinal) || source.Contains('/', StringComparison.Ordinal)) continue;
                Assert.True(earlier.Contains(source), $"{relativePath}:{copy.Line}: COPY --from={source} names no earlier stage");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public void Each_host_has_a_dockerfile_that_publishes_it_and_starts_its_assembly(string name)
    {
        var host = Repository.ServiceHosts().Single(h => h.Name == name);
        Assert.True(File.Exists(host.DockerfilePath), $"{name}: no Dockerfile at {Path.GetRelativePath(Repository.Root, host.DockerfilePath)}");
        var file = Dockerfile.Load(host.DockerfilePath);

        var build = file.Stages.SingleOrDefault(s => s.All("RUN").Any(r => r.Arguments.Contains("dotnet publish " + host.RelativeProjectPath, StringComparison.Ordinal)));
        Assert.True(build is not null, $"{name}: no stage runs `dotnet publish {host.RelativeProjectPath}`");
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", build.BaseImage);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", file.FinalStage.BaseImage);
        Assert.Contains(file.FinalStage.All("COPY"), c => c.SplitFlags().Flags.GetValueOrDefault("from") == build.Name);
        Assert.Contains($"\"{host.AssemblyName}.dll\"", file.FinalStage.Last("ENTRYPOINT")!.Arguments, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("services/Restore/Dockerfile.gpu", "Restore")]
    [InlineData("services/Segmentation/Dockerfile.gpu", "Segmentation")]
    public void Gpu_variants_run_on_cuda_with_the_gpu_build_of_onnx_runtime(string relativePath, string service)
    {
        var file = Dockerfile.Load(Repository.PathOf(relativePath.Split('/')));
        var final = file.FinalStage;
        Assert.StartsWith("nvidia/cuda:12.", final.BaseImage, StringComparison.Ordinal);
        Assert.Contains("runtime", final.BaseImage, StringComparison.Ordinal);
        Assert.Contains(file.Instructions, i => i.Keyword == "ADD" && i.Arguments.Contains("onnxruntime-linux-x64-gpu-", StringComparison.Ordinal));
        Assert.Contains(final.All("COPY"), c => c.Arguments.Contains("/usr/share/dotnet", StringComparison.Ordinal));
        Assert.Contains(final.All("ENV"), e => e.Arguments.Contains("HALFLIFE_ONNXRUNTIME_PATH=", StringComparison.Ordinal));
        Assert.Contains($"\"Halflife.{service}.Host.dll\"", final.Last("ENTRYPOINT")!.Arguments, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("services/Restore/Dockerfile")]
    [InlineData("services/Segmentation/Dockerfile")]
    [InlineData("services/Standalone/Dockerfile")]
    public void Cpu_inference_images_carry_the_pinned_onnx_runtime_from_npm(string relativePath)
    {
        var file = Dockerfile.Load(Repository.PathOf(relativePath.Split('/')));
        var pinned = File.ReadAllText(Repository.PathOf("services", "Inference", "Halflife.Inference", "Halflife.Inference.csproj"));
        var ort = file.Stages.Single(s => s.Name == "onnxruntime");
        var sha = ort.All("ARG").Single(a => a.Arguments.StartsWith("ONNXRUNTIME_SHA256=", StringComparison.Ordinal)).Arguments.Split('=')[1];
        // The image must refuse the same changed binary the build refuses.
        Assert.Contains($"<OnnxRuntimeNativeSha256>{sha}</OnnxRuntimeNativeSha256>", pinned, StringComparison.Ordinal);
        Assert.Contains(ort.All("RUN"), r => r.Arguments.Contains("sha256sum -c", StringComparison.Ordinal));
        Assert.Contains(file.FinalStage.All("ENV"), e => e.Arguments.Contains("HALFLIFE_ONNXRUNTIME_PATH=/opt/onnxruntime/lib", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("services/Segmentation/Dockerfile")]
    [InlineData("services/Segmentation/Dockerfile.gpu")]
    [InlineData("services/Slides/Dockerfile")]
    [InlineData("services/Standalone/Dockerfile")]
    public void Slide_images_install_openslide_and_turbojpeg_and_check_the_sonames(string relativePath)
    {
        var run = string.Join('\n', Dockerfile.Load(Repository.PathOf(relativePath.Split('/'))).FinalStage.All("RUN").Select(r => r.Arguments));
        Assert.Contains("libopenslide0", run, StringComparison.Ordinal);
        Assert.Contains("libturbojpeg", run, StringComparison.Ordinal);
        // The code loads these exact sonames (Halflife.Imaging); a package with another soname must fail the build.
        Assert.Contains("libopenslide.so.0", run, StringComparison.Ordinal);
        Assert.Contains("libturbojpeg.so.0", run, StringComparison.Ordinal);
    }

    private static void ExecFormIsValidJson(string file, DockerfileInstruction instruction, bool afterCmd = false)
    {
        var text = instruction.Arguments;
        if (afterCmd)
        {
            var cmd = text.IndexOf("CMD ", StringComparison.Ordinal);
            Assert.True(cmd >= 0, $"{file}:{instruction.Line}: HEALTHCHECK without CMD");
            text = text[(cmd + 4)..].Trim();
        }
        if (!text.StartsWith('[')) return;
        var parsed = JsonSerializer.Deserialize<string[]>(text);
        Assert.True(parsed is { Length: > 0 }, $"{file}:{instruction.Line}: empty exec form");
    }
}
