using System.Net;
using System.Xml.Linq;
using Halflife.Imaging.Codecs;

namespace Halflife.Slides.Tests;

public sealed class TileTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dzi_AndTiles_ServeTheSlideForOpenSeadragon()
    {
        await using var host = await SlidesHost.StartAsync();
        var slide = await host.UploadAsync("cmu-1-small-region.svs");

        using var dziResponse = await host.Http.GetAsync(slide.DziUrl, Ct);
        Assert.Equal(HttpStatusCode.OK, dziResponse.StatusCode);
        Assert.Equal("application/xml", dziResponse.Content.Headers.ContentType?.MediaType);
        var dzi = XDocument.Parse(await dziResponse.Content.ReadAsStringAsync(Ct));
        var size = dzi.Root!.Elements().Single(e => e.Name.LocalName == "Size");
        Assert.Equal("2220", size.Attribute("Width")?.Value);
        Assert.Equal("2967", size.Attribute("Height")?.Value);
        Assert.Equal("jpeg", dzi.Root.Attribute("Format")?.Value);
        var tileSize = int.Parse(dzi.Root.Attribute("TileSize")!.Value);
        var top = (int)Math.Ceiling(Math.Log2(2967)); // the full-resolution Deep Zoom level

        // OpenSeadragon's convention: <dzi without .dzi>_files/level/col_row.jpeg
        var tileUrl = slide.DziUrl[..^4] + $"_files/{top}/1_2.jpeg";
        using var tile = await host.Http.GetAsync(tileUrl, Ct);
        Assert.Equal(HttpStatusCode.OK, tile.StatusCode);
        Assert.Equal("image/jpeg", tile.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", tile.Headers.CacheControl?.ToString());
        var jpeg = await tile.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        var image = JpegCodec.Decode(jpeg);
        Assert.InRange(image.Width, tileSize, tileSize + 2); // interior tile: tile size + overlap on both sides
        Assert.InRange(image.Height, tileSize, tileSize + 2);

        // The REST-style path is the same tile.
        Assert.Equal(jpeg, await host.Http.GetByteArrayAsync($"/api/slides/{slide.Id}/tiles/{top}/1_2.jpeg", Ct));
        // Level 0 is the 1x1 pixel tile.
        Assert.Equal((1, 1), Dimensions(JpegCodec.Decode(await host.Http.GetByteArrayAsync($"/api/slides/{slide.Id}_files/0/0_0.jpeg", Ct))));

        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/api/slides/{slide.Id}_files/{top}/99_0.jpeg", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/api/slides/{slide.Id}_files/{top + 1}/0_0.jpeg", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/api/slides/{Guid.NewGuid()}.dzi", Ct)).StatusCode);

        using var thumbnail = await host.Http.GetAsync($"/api/slides/{slide.Id}/thumbnail.png?size=256", Ct);
        Assert.Equal("image/png", thumbnail.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await thumbnail.Content.ReadAsByteArrayAsync(Ct))[..4]);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync($"/api/slides/{slide.Id}/associated/nothing.png", Ct)).StatusCode);
    }

    [Fact]
    public async Task Tiles_AfterTheLocalCopyIsGone_AreServedFromTheBlobStore()
    {
        await using var host = await SlidesHost.StartAsync();
        var slide = await host.UploadAsync("small.svs");
        foreach (var file in Directory.GetFiles(Path.Combine(host.DataFolder, "slides", "cache"))) File.Delete(file);

        using var dzi = await host.Http.GetAsync(slide.DziUrl, Ct);
        Assert.Equal(HttpStatusCode.OK, dzi.StatusCode);
        Assert.Single(Directory.GetFiles(Path.Combine(host.DataFolder, "slides", "cache")));
    }

    [Fact]
    public async Task Tile_OfASlideWithCorruptPixels_Is422()
    {
        await using var host = await SlidesHost.StartAsync();
        // unreadable.svs opens (metadata is fine) but its JPEG tiles are corrupt.
        var slide = await host.UploadAsync("unreadable.svs");
        using var tile = await host.Http.GetAsync($"/api/slides/{slide.Id}_files/0/0_0.jpeg", Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tile.StatusCode);
        Assert.Contains("OpenSlide", await tile.Content.ReadAsStringAsync(Ct));
    }

    private static (int, int) Dimensions(Halflife.Imaging.Bgra32Image image) => (image.Width, image.Height);
}
