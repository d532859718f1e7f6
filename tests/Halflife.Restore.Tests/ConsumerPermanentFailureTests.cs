using System.Collections.Concurrent;
using Halflife.Contracts;
using Halflife.Dicom;
using Halflife.Restore.Derived;
using Halflife.Restore.Pipeline;
using Halflife.ServiceDefaults.Hosting;
using Halflife.ServiceDefaults.Storage;
using Halflife.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Restore.Tests;

/// <summary>
/// Restore hosted alone on the embedded default (in-memory bus, SQLite, blob folder): a compressed NM instance is
/// consumed once, logged as not restorable and marked processed, with nothing derived and no retry loop.
/// </summary>
public sealed class ConsumerPermanentFailureTests : IAsyncDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "halflife-restore-" + Guid.NewGuid().ToString("N"));
    private readonly LogCapture _logs = new();
    private WebApplication? _app;

    [Fact]
    public async Task Compressed_instance_is_marked_processed_without_a_derived_object()
    {
        var ct = TestContext.Current.CancellationToken;
        _app = HalflifeApplication.Create(["--urls", "http://127.0.0.1:0"], "restore", [new RestoreModule()], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Halflife:DataDirectory"] = _data });
            builder.Logging.AddProvider(_logs);
        });
        await _app.StartHalflifeAsync(ct);

        // GH184 is JPEG Lossless; announced as NM so that Restore takes it (the decoder, not the modality, must refuse it).
        var file = TestPaths.Data("dicom", "GH184.dcm");
        var dataset = DicomFile.Open(file).Dataset;
        var sop = dataset.GetString(DicomTag.SOPInstanceUID);
        await using (var content = File.OpenRead(file))
            await _app.Services.GetRequiredService<IBlobStore>().PutAsync("test/gh184.dcm", content, "application/dicom", ct);
        await _app.Services.GetRequiredService<IBus>().Publish(new InstanceReceived(Guid.NewGuid(),
            dataset.GetString(DicomTag.StudyInstanceUID), dataset.GetString(DicomTag.SeriesInstanceUID), sop,
            dataset.GetString(DicomTag.SOPClassUID), "NM", "test/gh184.dcm", new FileInfo(file).Length, null, DateTimeOffset.UtcNow), ct);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && await ProcessedCountAsync() == 0)
            await Task.Delay(100, ct);

        // The processed mark is saved only when Consume returned normally: no exception escaped.
        Assert.Equal(1, await ProcessedCountAsync());
        using (var scope = _app.Services.CreateScope())
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<RestoreDbContext>().DerivedInstances.ToListAsync(ct));
        Assert.Contains(_logs.Messages, m => m.StartsWith($"cannot restore {sop}: ", StringComparison.Ordinal));
    }

    private async Task<int> ProcessedCountAsync()
    {
        using var scope = _app!.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<RestoreDbContext>().ProcessedMessages
            .CountAsync(p => p.Consumer == nameof(InstanceReceivedConsumer));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }

    private sealed class LogCapture : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();
        public ILogger CreateLogger(string categoryName) => new Logger(Messages);
        public void Dispose() { }

        private sealed class Logger(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue(formatter(state, exception));
        }
    }
}
