using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Halflife.Slides.Tests;

public sealed class CatalogueTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task List_Search_AndEdit_RoundTripKoreanText()
    {
        await using var host = await SlidesHost.StartAsync();
        var cmu = await host.UploadAsync("cmu-1-small-region.svs");
        var small = await host.UploadAsync("small.svs");

        const string name = "위암 조직 슬라이드 (H&E)";
        using var patch = await host.Http.PatchAsJsonAsync($"/api/slides/{cmu.Id}",
            new { name, description = "생검 표본, 2026년 11월", tags = new[] { "위암", "H&E" } }, Ct);
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var details = await host.Http.GetFromJsonAsync<SlideDto>($"/api/slides/{cmu.Id}", Ct);
        Assert.Equal(name, details!.Name);
        Assert.Equal(["위암", "H&E"], details.Tags);

        Assert.Equal([cmu.Id], await IdsAsync(host, "q=" + Uri.EscapeDataString("조직")));
        Assert.Equal([cmu.Id], await IdsAsync(host, "q=" + Uri.EscapeDataString("생검")));
        Assert.Equal([cmu.Id], await IdsAsync(host, "tag=" + Uri.EscapeDataString("위암")));
        Assert.Empty(await IdsAsync(host, "tag=" + Uri.EscapeDataString("위")));
        Assert.Equal(2, (await IdsAsync(host, "from=" + DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd"))).Count);
        Assert.Empty(await IdsAsync(host, "to=2000-01-01"));
        var paged = await IdsAsync(host, "pageSize=1&page=2");
        Assert.Single(paged);
        Assert.Contains(paged[0], new[] { cmu.Id, small.Id });

        using var tooLong = await host.Http.PatchAsJsonAsync($"/api/slides/{cmu.Id}", new { name = new string('가', 257) }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        using var badTag = await host.Http.PatchAsJsonAsync($"/api/slides/{cmu.Id}", new { tags = new[] { "a|b" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badTag.StatusCode);
        Assert.Equal(name, (await host.Http.GetFromJsonAsync<SlideDto>($"/api/slides/{cmu.Id}", Ct))!.Name);
    }

    [Fact]
    public async Task Download_ReturnsTheOriginalBytes_AndHonoursRange()
    {
        await using var host = await SlidesHost.StartAsync();
        var slide = await host.UploadAsync("cmu-1-small-region.svs");
        var original = await File.ReadAllBytesAsync(SlidesHost.Wsi("cmu-1-small-region.svs"), Ct);

        Assert.Equal(original, await host.Http.GetByteArrayAsync($"/api/slides/{slide.Id}/file", Ct));

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/slides/{slide.Id}/file");
        request.Headers.Range = new RangeHeaderValue(1000, 1999);
        using var partial = await host.Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(original.AsSpan(1000, 1000).ToArray(), await partial.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal($"bytes 1000-1999/{original.Length}", partial.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task Delete_NeedsConfirmation_ThenRemovesEverything_AndIsAudited()
    {
        await using var host = await SlidesHost.StartAsync();
        var slide = await host.UploadAsync("cmu-1-small-region.svs");
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync($"/api/slides/{slide.Id}.dzi", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.DeleteAsync($"/api/slides/{slide.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.DeleteAsync($"/api/slides/{slide.Id}?confirm=wrong", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync($"/api/slides/{slide.Id}", Ct)).StatusCode);

        var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/slides/{slide.Id}");
        delete.Headers.Add("X-Confirm-Delete", slide.Name);
        Assert.Equal(HttpStatusCode.NoContent, (await host.Http.SendAsync(delete, Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/api/slides/{slide.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/api/slides/{slide.Id}/file", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/api/slides/{slide.Id}_files/0/0_0.jpeg", Ct)).StatusCode);
        Assert.Empty(host.StoredOriginals());
        Assert.Empty(Directory.GetFiles(Path.Combine(host.DataFolder, "slides", "cache")));

        using var audit = JsonDocument.Parse(await host.Http.GetStringAsync($"/api/slides/{slide.Id}/audit", Ct));
        var actions = audit.RootElement.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["upload", "delete"], actions);
        var deletion = audit.RootElement[1];
        Assert.Equal(SlidesHost.User, deletion.GetProperty("user").GetString());
        Assert.Equal("127.0.0.1", deletion.GetProperty("remoteIp").GetString());
    }

    private static async Task<List<Guid>> IdsAsync(SlidesHost host, string query)
    {
        using var doc = JsonDocument.Parse(await host.Http.GetStringAsync("/api/slides?" + query, Ct));
        return doc.RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ToList();
    }
}
