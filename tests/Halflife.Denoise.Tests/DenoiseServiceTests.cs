using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Halflife.Contracts;
using Halflife.Denoise.Api;
using Halflife.Denoise.Denoised;
using Halflife.Denoise.Pipeline;
using Halflife.Dicom;
using Halflife.Dicom.Imaging;
using Halflife.ServiceDefaults.Storage;
using Halflife.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Denoise.Tests;

/// <summary>
/// The service end to end on the embedded host: an NM instance announced by InstanceReceived is denoised into a
/// derived object, stored, listed, served as DICOM, image info and PNG, and announced by ImageDenoised.
/// </summary>
public sealed class DenoiseServiceTests : IAsyncLifetime
{
    private static readonly string NmFile = TestPaths.Data("dicom", "poumonsReins.dcm");
    private DenoiseServiceHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await DenoiseServiceHost.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private async Task<InstanceReceived> PublishAsync(string file, string modality, string blobKey)
    {
        var ct = TestContext.Current.CancellationToken;
        var dataset = DicomFile.Open(file).Dataset;
        await using (var content = File.OpenRead(file))
            await _host.App.Services.GetRequiredService<IBlobStore>().PutAsync(blobKey, content, "application/dicom", ct);
        var message = new InstanceReceived(Guid.NewGuid(), dataset.GetString(DicomTag.StudyInstanceUID), dataset.GetString(DicomTag.SeriesInstanceUID),
            dataset.GetString(DicomTag.SOPInstanceUID), dataset.GetString(DicomTag.SOPClassUID), modality, blobKey, new FileInfo(file).Length, null,
            DateTimeOffset.UtcNow);
        await _host.App.Services.GetRequiredService<IBus>().Publish(message, ct);
        return message;
    }

    private async Task<int> ProcessedCountAsync()
    {
        using var scope = _host.App.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<DenoiseDbContext>().ProcessedMessages
            .CountAsync(p => p.Consumer == nameof(DenoiseInstanceReceivedConsumer));
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found) return found;
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException($"{what} did not happen within 90 s.");
    }

    [Fact]
    public async Task Nm_instance_is_denoised_into_a_derived_object_served_as_dicom_info_and_png_and_announced()
    {
        var ct = TestContext.Current.CancellationToken;
        var message = await PublishAsync(NmFile, "NM", "test/poumons-reins.dcm");

        var list = await EventuallyAsync(async () =>
        {
            var rows = await _host.Http.GetFromJsonAsync<List<DenoisedInstanceDto>>($"/api/denoise/denoised?sourceInstanceId={message.InstanceId}", ct);
            return rows is { Count: > 0 } ? rows : null;
        }, "the denoised instance");
        var row = Assert.Single(list);
        Assert.Equal(message.StudyInstanceUid, row.StudyInstanceUid);
        Assert.Equal((2, 256, 256), (row.Frames, row.Width, row.Height));
        Assert.Equal("anscombe-nlm", row.Method);
        Assert.Contains("h 0.", row.Parameters);
        var byStudy = await _host.Http.GetFromJsonAsync<List<DenoisedInstanceDto>>($"/api/denoise/denoised?studyInstanceUid={message.StudyInstanceUid}", ct);
        Assert.Equal(row.Id, Assert.Single(byStudy!).Id);
        Assert.Equal(row.DenoisedSopInstanceUid, (await _host.Http.GetFromJsonAsync<DenoisedInstanceDto>($"/api/denoise/denoised/{row.Id}", ct))!.DenoisedSopInstanceUid);

        // The DICOM object: a new instance in a new series of the same study, DERIVED\SECONDARY, pointing at its source.
        var bytes = await _host.Http.GetByteArrayAsync($"/api/denoise/denoised/{row.Id}/file", ct);
        var derived = DicomFile.Open(new MemoryStream(bytes)).Dataset;
        var source = DicomFile.Open(NmFile).Dataset;
        Assert.Equal(row.DenoisedSopInstanceUid, derived.GetString(DicomTag.SOPInstanceUID));
        Assert.NotEqual(source.GetString(DicomTag.SOPInstanceUID), derived.GetString(DicomTag.SOPInstanceUID));
        Assert.NotEqual(source.GetString(DicomTag.SeriesInstanceUID), derived.GetString(DicomTag.SeriesInstanceUID));
        Assert.Equal(source.GetString(DicomTag.StudyInstanceUID), derived.GetString(DicomTag.StudyInstanceUID));
        Assert.Equal(["DERIVED", "SECONDARY", "STATIC", "EMISSION"], derived.GetValues<string>(DicomTag.ImageType));
        Assert.StartsWith("Denoised with anscombe-nlm 1 (Halflife): Anscombe transform, non-local means (patch ", derived.GetString(DicomTag.DerivationDescription));
        var reference = Assert.Single(derived.GetSequence(DicomTag.SourceImageSequence));
        Assert.Equal(source.GetString(DicomTag.SOPInstanceUID), reference.GetString(DicomTag.ReferencedSOPInstanceUID));
        Assert.Equal(source.GetString(DicomTag.SOPClassUID), reference.GetString(DicomTag.ReferencedSOPClassUID));

        // Denoised counts: a different image with the same count level in each view.
        var before = DicomPixelData.Create(source);
        var after = DicomPixelData.Create(derived);
        var slope = derived.GetSingleValue<double>(DicomTag.RescaleSlope);
        for (var f = 0; f < 2; f++)
        {
            var original = before.GetFrameValues(f);
            var denoised = after.GetFrameValues(f).Select(v => v * slope).ToArray();
            Assert.NotEqual(original.Select(v => (double)v), denoised);
            Assert.InRange(denoised.Sum() / original.Sum(), 0.9, 1.1);
        }

        // Image info and a PNG of the second view, at the default and at an explicit window.
        using var info = JsonDocument.Parse(await _host.Http.GetStringAsync($"/api/denoise/denoised/{row.Id}/image", ct));
        Assert.Equal(256, info.RootElement.GetProperty("width").GetInt32());
        Assert.Equal(2, info.RootElement.GetProperty("frames").GetInt32());
        foreach (var query in new[] { "frame=1", "frame=0&wc=20&ww=40" })
        {
            using var png = await _host.Http.GetAsync($"/api/denoise/denoised/{row.Id}/render.png?{query}", ct);
            Assert.Equal(HttpStatusCode.OK, png.StatusCode);
            Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
            var (width, height) = PngSize(await png.Content.ReadAsByteArrayAsync(ct));
            Assert.Equal((256, 256), (width, height));
        }

        // ImageDenoised left through the outbox and reached a consumer.
        var published = await EventuallyAsync(() => Task.FromResult(DenoiseServiceHost.Published.FirstOrDefault(e => e.InstanceId == message.InstanceId)), "ImageDenoised");
        Assert.Equal(message.SopInstanceUid, published.SopInstanceUid);
        Assert.Equal(message.BlobKey, published.SourceBlobKey);
        Assert.Equal($"denoise/derived/{row.DenoisedSopInstanceUid}.dcm", published.DenoisedBlobKey);
        Assert.StartsWith("anscombe-nlm 1 (patch ", published.Method);
    }

    [Fact]
    public async Task Redelivery_and_a_second_message_for_the_same_instance_make_no_second_object()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await PublishAsync(NmFile, "NM", "test/first.dcm");
        await EventuallyAsync(async () => await ProcessedCountAsync() >= 1 ? "" : null, "the first message");
        await PublishAsync(NmFile, "NM", "test/second.dcm");
        await EventuallyAsync(async () => await ProcessedCountAsync() >= 2 ? "" : null, "the second message");

        using var scope = _host.App.Services.CreateScope();
        var rows = await scope.ServiceProvider.GetRequiredService<DenoiseDbContext>().DenoisedInstances.ToListAsync(ct);
        Assert.Equal(first.InstanceId, Assert.Single(rows).SourceInstanceId);
        Assert.Contains(_host.Logs.Messages, m => m.Contains("is already denoised as", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compressed_nm_instance_is_logged_as_not_decodable_and_marked_processed()
    {
        var ct = TestContext.Current.CancellationToken;
        var file = TestPaths.Data("dicom", "GH184.dcm"); // JPEG Lossless; announced as NM so that the decoder must refuse it
        var message = await PublishAsync(file, "NM", "test/gh184.dcm");
        await EventuallyAsync(async () => await ProcessedCountAsync() >= 1 ? "" : null, "the processed mark");

        using var scope = _host.App.Services.CreateScope();
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<DenoiseDbContext>().DenoisedInstances.ToListAsync(ct));
        Assert.Contains(_host.Logs.Messages, m => m.StartsWith($"cannot denoise {message.SopInstanceUid}: cannot decode: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Other_modalities_are_ignored()
    {
        var ct = TestContext.Current.CancellationToken;
        var message = await PublishAsync(NmFile, "CT", "test/ct.dcm");
        await Task.Delay(1500, ct);
        Assert.Equal(0, await ProcessedCountAsync());
        var rows = await _host.Http.GetFromJsonAsync<List<DenoisedInstanceDto>>($"/api/denoise/denoised?sourceInstanceId={message.InstanceId}", ct);
        Assert.Empty(rows!);
    }

    [Fact]
    public async Task Bad_requests_get_problem_details()
    {
        var ct = TestContext.Current.CancellationToken;
        var unknown = Guid.NewGuid();
        foreach (var (path, status) in new[]
                 {
                     ("/api/denoise/denoised", HttpStatusCode.BadRequest),
                     ($"/api/denoise/denoised/{unknown}", HttpStatusCode.NotFound),
                     ($"/api/denoise/denoised/{unknown}/file", HttpStatusCode.NotFound),
                     ($"/api/denoise/denoised/{unknown}/image", HttpStatusCode.NotFound),
                     ($"/api/denoise/denoised/{unknown}/render.png", HttpStatusCode.NotFound),
                 })
        {
            using var response = await _host.Http.GetAsync(path, ct);
            Assert.True(response.StatusCode == status, $"{path}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        var message = await PublishAsync(NmFile, "NM", "test/frames.dcm");
        var row = await EventuallyAsync(async () =>
            (await _host.Http.GetFromJsonAsync<List<DenoisedInstanceDto>>($"/api/denoise/denoised?sourceInstanceId={message.InstanceId}", ct))?.FirstOrDefault(),
            "the denoised instance");
        foreach (var query in new[] { "frame=2", "frame=-1", "wc=10", "frame=0&wc=10&ww=0" })
        {
            using var response = await _host.Http.GetAsync($"/api/denoise/denoised/{row.Id}/render.png?{query}", ct);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query}: {response.StatusCode}");
        }
    }

    /// <summary>Width and height from the IHDR chunk, after checking the PNG signature.</summary>
    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "not a PNG");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }
}
