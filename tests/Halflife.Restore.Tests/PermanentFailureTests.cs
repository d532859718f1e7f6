using Halflife.Dicom;
using Halflife.Restore.Pipeline;
using Halflife.Testing;
using Microsoft.Extensions.Logging;

namespace Halflife.Restore.Tests;

/// <summary>Inputs that can never be restored are logged and dropped, never thrown (a consumer would retry forever).</summary>
public sealed class PermanentFailureTests(ModelFixture fixture) : IClassFixture<ModelFixture>
{
    [Fact]
    public async Task Compressed_instance_is_logged_as_not_restorable_and_yields_nothing()
    {
        var file = TestPaths.Data("dicom", "GH184.dcm"); // JPEG Lossless: this service has no JPEG decoder
        var sop = DicomFile.Open(file).Dataset.GetString(DicomTag.SOPInstanceUID);
        var logger = new RecordingLogger();
        var restorer = new InstanceRestorer(logger);

        await using var stream = File.OpenRead(file);
        var derived = await restorer.TryRestoreAsync(stream, sop, fixture.Model, TestContext.Current.CancellationToken);

        Assert.Null(derived);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.StartsWith($"cannot restore {sop}: ", entry.Message);
    }

    [Fact]
    public async Task Colour_image_is_not_restorable()
    {
        var file = TestPaths.Data("dicom", "SC_rgb_small_odd_big_endian.dcm");
        var logger = new RecordingLogger();
        var restorer = new InstanceRestorer(logger);

        await using var stream = File.OpenRead(file);
        Assert.Null(await restorer.TryRestoreAsync(stream, "rgb", fixture.Model, TestContext.Current.CancellationToken));
        Assert.Contains("samples per pixel", Assert.Single(logger.Entries).Message);
    }

    [Fact]
    public async Task Not_a_dicom_file_is_not_restorable()
    {
        var logger = new RecordingLogger();
        var restorer = new InstanceRestorer(logger);
        using var stream = new MemoryStream("this is not DICOM"u8.ToArray());
        Assert.Null(await restorer.TryRestoreAsync(stream, "junk", fixture.Model, TestContext.Current.CancellationToken));
        Assert.StartsWith("cannot restore junk: ", Assert.Single(logger.Entries).Message);
    }

    private sealed class RecordingLogger : ILogger<InstanceRestorer>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
