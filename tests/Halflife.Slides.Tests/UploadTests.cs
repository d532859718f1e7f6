using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Halflife.Contracts;

namespace Halflife.Slides.Tests;

public sealed class UploadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ChunkedUpload_SurvivesADroppedChunk_AndCataloguesTheSlide()
    {
        await using var host = await SlidesHost.StartAsync();
        var bytes = await File.ReadAllBytesAsync(SlidesHost.Wsi("cmu-1-small-region.svs"), Ct);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var start = await host.Http.PostAsJsonAsync("/api/slides/uploads", new { fileName = "../../etc/cmu-1.svs", size = bytes.Length, sha256 = sha }, Ct);
        Assert.Equal(HttpStatusCode.Created, start.StatusCode);
        var upload = (await start.Content.ReadFromJsonAsync<UploadStatusDto>(Ct))!;

        const int chunk = 400 * 1024;
        // Chunk 0 in full, with Content-Range.
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(host, upload.UploadId, bytes, 0, chunk, useContentRange: true)).StatusCode);
        // The connection "drops" half-way through chunk 1: the server keeps what arrived.
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(host, upload.UploadId, bytes, chunk, chunk / 2, useContentRange: false)).StatusCode);
        // The client, unaware, retries chunk 1 from its start: refused with the real offset.
        var retry = await PutAsync(host, upload.UploadId, bytes, chunk, chunk, useContentRange: true);
        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        Assert.Equal((chunk + chunk / 2).ToString(), retry.Headers.GetValues("Upload-Offset").Single());

        // Resume: ask for the offset (HEAD), then send the rest from there.
        using var head = await host.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/slides/uploads/{upload.UploadId}"), Ct);
        var offset = long.Parse(head.Headers.GetValues("Upload-Offset").Single());
        Assert.Equal(chunk + chunk / 2, offset);
        while (offset < bytes.Length)
        {
            var length = (int)Math.Min(chunk, bytes.Length - offset);
            using var put = await PutAsync(host, upload.UploadId, bytes, offset, length, useContentRange: offset % 2 == 0);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            offset += length;
        }
        var status = await host.Http.GetFromJsonAsync<UploadStatusDto>($"/api/slides/uploads/{upload.UploadId}", Ct);
        Assert.Equal(bytes.Length, status!.Offset);

        using var complete = await host.Http.PostAsJsonAsync($"/api/slides/uploads/{upload.UploadId}/complete", new { }, Ct);
        Assert.Equal(HttpStatusCode.Created, complete.StatusCode);
        var slide = (await complete.Content.ReadFromJsonAsync<SlideDto>(Ct))!;
        Assert.Equal((2220, 2967), (slide.Width, slide.Height));
        Assert.Equal("aperio", slide.Vendor);
        Assert.Equal(sha, slide.Sha256);
        Assert.Equal(bytes.Length, slide.SizeBytes);
        Assert.Equal("../../etc/cmu-1.svs", slide.FileName); // metadata only
        Assert.Equal("cmu-1", slide.Name);
        Assert.NotNull(slide.MppX);
        Assert.Equal(slide.Levels.Count, slide.Levels.Select(l => l.Width).Distinct().Count());
        Assert.Single(host.StoredOriginals());
        Assert.DoesNotContain(host.StoredOriginals(), f => f.Contains("etc", StringComparison.Ordinal));

        var events = await host.WaitForEventsAsync<SlideUploaded>(e => e.SlideId == slide.Id);
        Assert.Equal(bytes.Length, Assert.Single(events).SizeBytes);
        // The session is gone once completed.
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/api/slides/uploads/{upload.UploadId}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Complete_WithWrongChecksum_IsRefused_AndStoresNothing()
    {
        await using var host = await SlidesHost.StartAsync();
        var bytes = await File.ReadAllBytesAsync(SlidesHost.Wsi("small.svs"), Ct);
        var start = await host.Http.PostAsJsonAsync("/api/slides/uploads", new { fileName = "small.svs", size = bytes.Length }, Ct);
        var upload = (await start.Content.ReadFromJsonAsync<UploadStatusDto>(Ct))!;
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(host, upload.UploadId, bytes, 0, bytes.Length, useContentRange: true)).StatusCode);

        using var noChecksum = await host.Http.PostAsJsonAsync($"/api/slides/uploads/{upload.UploadId}/complete", new { }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noChecksum.StatusCode);
        using var wrong = await host.Http.PostAsJsonAsync($"/api/slides/uploads/{upload.UploadId}/complete", new { sha256 = new string('0', 64) }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("SHA-256 mismatch", await wrong.Content.ReadAsStringAsync(Ct));
        Assert.Empty(host.StoredOriginals());
        Assert.Contains("\"total\":0", await host.Http.GetStringAsync("/api/slides", Ct));
    }

    [Fact]
    public async Task Chunk_BeyondTheDeclaredSize_Is413()
    {
        await using var host = await SlidesHost.StartAsync();
        var start = await host.Http.PostAsJsonAsync("/api/slides/uploads", new { fileName = "x.svs", size = 10 }, Ct);
        var upload = (await start.Content.ReadFromJsonAsync<UploadStatusDto>(Ct))!;
        using var put = await PutAsync(host, upload.UploadId, new byte[20], 0, 20, useContentRange: false);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, put.StatusCode);
    }

    [Fact]
    public async Task UnopenableTiff_Is422_WithOpenSlidesMessage_AndStoresNothing()
    {
        await using var host = await SlidesHost.StartAsync();
        var bytes = await File.ReadAllBytesAsync(SlidesHost.Wsi("unopenable.tiff"), Ct);
        using var response = await host.Http.PostAsync("/api/slides?fileName=unopenable.tiff", new ByteArrayContent(bytes), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("OpenSlide", await response.Content.ReadAsStringAsync(Ct));
        Assert.Empty(host.StoredOriginals());
        Assert.Empty(Directory.GetFiles(Path.Combine(host.DataFolder, "slides", "uploads")));
    }

    [Fact]
    public async Task BrokenSvs_IsNotATiff_AndIsRefused_AsUnsupportedMediaType()
    {
        await using var host = await SlidesHost.StartAsync();
        var bytes = await File.ReadAllBytesAsync(SlidesHost.Wsi("broken.svs"), Ct);
        var start = await host.Http.PostAsJsonAsync("/api/slides/uploads", new { fileName = "broken.svs", size = bytes.Length }, Ct);
        var upload = (await start.Content.ReadFromJsonAsync<UploadStatusDto>(Ct))!;
        await PutAsync(host, upload.UploadId, bytes, 0, bytes.Length, useContentRange: true);
        using var complete = await host.Http.PostAsJsonAsync($"/api/slides/uploads/{upload.UploadId}/complete",
            new { sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)) }, Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, complete.StatusCode);
        Assert.Empty(host.StoredOriginals());
        // The refused upload is discarded, not left to resume.
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/api/slides/uploads/{upload.UploadId}", Ct)).StatusCode);
        Assert.Contains("\"total\":0", await host.Http.GetStringAsync("/api/slides", Ct));
    }

    [Fact]
    public async Task AbandonedUpload_Expires_WithItsTempFile()
    {
        await using var host = await SlidesHost.StartAsync(new() { ["Slides:UploadExpiry"] = "00:00:01" });
        var start = await host.Http.PostAsJsonAsync("/api/slides/uploads", new { fileName = "x.svs", size = 100 }, Ct);
        var upload = (await start.Content.ReadFromJsonAsync<UploadStatusDto>(Ct))!;
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(host, upload.UploadId, new byte[50], 0, 50, useContentRange: false)).StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && (await host.Http.GetAsync($"/api/slides/uploads/{upload.UploadId}", Ct)).StatusCode != HttpStatusCode.NotFound)
            await Task.Delay(200, Ct);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/api/slides/uploads/{upload.UploadId}", Ct)).StatusCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(host.DataFolder, "slides", "uploads")));
    }

    private static async Task<HttpResponseMessage> PutAsync(SlidesHost host, Guid id, byte[] bytes, long offset, int length, bool useContentRange)
    {
        var content = new ByteArrayContent(bytes, (int)offset, length);
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/slides/uploads/{id}") { Content = content };
        if (useContentRange) content.Headers.ContentRange = new ContentRangeHeaderValue(offset, offset + length - 1, bytes.Length);
        else request.Headers.Add("Upload-Offset", offset.ToString());
        return await host.Http.SendAsync(request, Ct);
    }
}
