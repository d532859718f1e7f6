using Halflife.Inference.Native;

namespace Halflife.Inference.Tests;

[CollectionDefinition(nameof(LibraryResolutionTests), DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection;

/// <summary>Changes a process-wide environment variable, so it runs alone.</summary>
[Collection(nameof(LibraryResolutionTests))]
public sealed class LibraryResolutionTests
{
    [Fact]
    public void The_path_variable_overrides_every_other_location()
    {
        var previous = Environment.GetEnvironmentVariable(OnnxRuntimeLibrary.PathVariable);
        var folder = Directory.CreateTempSubdirectory("halflife-ort-").FullName;
        try
        {
            Environment.SetEnvironmentVariable(OnnxRuntimeLibrary.PathVariable, folder);
            var fromFolder = OnnxRuntimeLibrary.Candidates().ToList();
            Assert.NotEmpty(fromFolder);
            Assert.All(fromFolder, path => Assert.Equal(folder, Path.GetDirectoryName(path)));

            var file = Path.Combine(folder, "libonnxruntime-gpu.so");
            Environment.SetEnvironmentVariable(OnnxRuntimeLibrary.PathVariable, file);
            Assert.Equal([file], OnnxRuntimeLibrary.Candidates());
        }
        finally
        {
            Environment.SetEnvironmentVariable(OnnxRuntimeLibrary.PathVariable, previous);
            Directory.Delete(folder);
        }
    }

    [Fact]
    public void Without_the_variable_the_application_folder_comes_first_then_the_repository_cache()
    {
        var previous = Environment.GetEnvironmentVariable(OnnxRuntimeLibrary.PathVariable);
        try
        {
            Environment.SetEnvironmentVariable(OnnxRuntimeLibrary.PathVariable, null);
            var candidates = OnnxRuntimeLibrary.Candidates().ToList();

            Assert.Equal(AppContext.BaseDirectory.TrimEnd('/'), Path.GetDirectoryName(candidates[0]));
            if (OperatingSystem.IsLinux())
            {
                Assert.Contains(candidates, path => path.Contains($"/.native/onnxruntime/{OnnxRuntimeLibrary.BundledVersion}/", StringComparison.Ordinal));
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(OnnxRuntimeLibrary.PathVariable, previous);
        }
    }
}
