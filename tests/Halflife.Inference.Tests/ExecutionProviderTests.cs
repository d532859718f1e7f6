using Halflife.Inference.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Halflife.Inference.Tests;

public sealed class ExecutionProviderTests
{
    [Fact]
    public void Cpu_preference_appends_nothing()
    {
        using var options = new SessionOptions();

        var choice = ExecutionProviderSelector.Apply(options, ExecutionProviderPreference.Cpu);

        Assert.Equal(new ExecutionProviderChoice(ExecutionProviders.Cpu, "cpu", null), choice);
        Assert.Empty(options.AppendedProviders);
    }

    [Fact]
    public void Preferring_cuda_on_a_library_without_it_falls_back_to_cpu_and_logs_why()
    {
        RequireLibraryWithoutCuda();
        using var options = new SessionOptions();
        var logger = new RecordingLogger();

        var choice = ExecutionProviderSelector.Apply(options, ExecutionProviderPreference.PreferCuda, logger: logger);

        Assert.Equal(ExecutionProviders.Cpu, choice.Provider);
        Assert.Contains(ExecutionProviders.Cuda, choice.FallbackReason, StringComparison.Ordinal);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains(choice.FallbackReason!, entry.Message, StringComparison.Ordinal);

        // The session still works on CPU with the same options.
        using var session = new InferenceSession(TinyModels.AddFloat, options);
        Assert.Equal(ExecutionProviders.Cpu, session.Provider);
    }

    [Fact]
    public void Requiring_cuda_on_a_library_without_it_throws()
    {
        RequireLibraryWithoutCuda();
        using var options = new SessionOptions();

        var error = Assert.Throws<OnnxRuntimeException>(() => ExecutionProviderSelector.Apply(options, ExecutionProviderPreference.RequireCuda));
        Assert.Equal(OrtErrorCode.EpFail, error.ErrorCode);
    }

    [Fact]
    public void Appending_cuda_directly_on_a_cpu_build_is_an_onnx_runtime_error_not_a_crash()
    {
        RequireLibraryWithoutCuda();
        using var options = new SessionOptions();

        var error = Assert.Throws<OnnxRuntimeException>(() => options.AppendExecutionProvider_CUDA(0));
        Assert.False(string.IsNullOrWhiteSpace(error.Detail));
        Assert.Empty(options.AppendedProviders);

        // The options stay usable for a CPU session.
        using var session = new InferenceSession(TinyModels.AddFloat, options);
        Assert.Equal("cpu", session.Device);
    }

    /// <summary>
    /// The npm build lists CUDAExecutionProvider but ships without libonnxruntime_providers_*.so, so appending fails
    /// there; a real GPU build appends successfully and these CPU-fallback tests do not apply.
    /// </summary>
    private static void RequireLibraryWithoutCuda()
    {
        using var probe = new SessionOptions();
        try
        {
            probe.AppendExecutionProvider_CUDA(0);
        }
        catch (OnnxRuntimeException)
        {
            return;
        }

        Assert.Skip("the loaded ONNX Runtime can use CUDA; these tests cover a library that cannot");
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
