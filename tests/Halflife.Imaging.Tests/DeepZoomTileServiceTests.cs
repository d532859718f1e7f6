using System.Security.Cryptography;
using Halflife.Imaging.Codecs;
using Halflife.Imaging.Slides;
using Halflife.Imaging.Tiles;

namespace Halflife.Imaging.Tests;

public sealed class DeepZoomTileServiceTests
{
    private static DeepZoomTileService Service(MemoryTileCache cache, int maxOpenSlides = 4)
    {
        var folder = Path.GetDirectoryName(TestData.RequireWsi("cmu-1-small-region.svs"))!;
        return new DeepZoomTileService(new DirectorySlideLocator(folder), cache, new DeepZoomOptions(), maxOpenSlides);
    }

    [Fact]
    public async Task Many_parallel_requests_give_identical_tiles_rendered_once_each()
    {
        var cache = new MemoryTileCache(256L * 1024 * 1024);
        using var service = Service(cache);
        var ct = TestContext.Current.CancellationToken;
        var top = service.Generator("cmu-1-small-region").Levels.Count - 1;
        var addresses = Enumerable.Range(0, 9).SelectMany(c => Enumerable.Range(0, 12).Select(r => (Level: top, c, r)))
            .Concat(Enumerable.Range(0, 5).SelectMany(c => Enumerable.Range(0, 6).Select(r => (Level: top - 1, c, r))))
            .ToArray();

        // Reference: each tile rendered alone, sequentially, without the cache.
        using var slide = WholeSlideImage.Open(TestData.RequireWsi("cmu-1-small-region.svs"));
        var generator = new DeepZoomGenerator(slide);
        var expected = addresses.ToDictionary(a => a, a => Convert.ToHexString(SHA256.HashData(generator.RenderTileJpeg(new TileAddress(a.Level, a.c, a.r)))));

        // Eight requests per tile, shuffled, from many threads at once.
        var requests = addresses.SelectMany(a => Enumerable.Repeat(a, 8)).OrderBy(_ => Random.Shared.Next()).ToArray();
        var results = await Task.WhenAll(requests.Select(a => Task.Run(async () =>
            (a, Hash: Convert.ToHexString(SHA256.HashData(await service.GetTileJpegAsync("cmu-1-small-region", a.Level, a.c, a.r, ct)))), ct)));

        Assert.All(results, r => Assert.Equal(expected[r.a], r.Hash));
        Assert.Equal(addresses.Length, cache.Count);
        Assert.True(cache.Misses <= addresses.Length + 2, $"{cache.Misses} renders for {addresses.Length} tiles");
    }

    [Fact]
    public async Task Descriptor_and_tile_from_a_slide_id()
    {
        using var service = Service(new MemoryTileCache(10_000_000));

        var dzi = service.GetDzi("cmu-1-small-region");
        var tile = JpegCodec.Decode(await service.GetTileJpegAsync("cmu-1-small-region", 12, 0, 0, TestContext.Current.CancellationToken));

        Assert.Contains("<Size Width=\"2220\" Height=\"2967\" />", dzi);
        Assert.Equal((255, 255), (tile.Width, tile.Height));
    }

    [Theory]
    [InlineData("no-such-slide")]
    [InlineData("../wsi/cmu-1-small-region")]
    [InlineData("")]
    public void Unknown_or_unsafe_slide_ids_are_not_found(string id)
    {
        using var service = Service(new MemoryTileCache(10_000));

        Assert.Throws<SlideNotFoundException>(() => service.GetDzi(id));
    }

    [Fact]
    public async Task Out_of_range_tile_and_broken_slide_have_distinct_errors()
    {
        using var service = Service(new MemoryTileCache(10_000));
        var ct = TestContext.Current.CancellationToken;

        await Assert.ThrowsAsync<TileOutOfRangeException>(async () => await service.GetTileJpegAsync("cmu-1-small-region", 12, 9, 0, ct));
        Assert.Throws<SlideFormatException>(() => service.GetDzi("broken"));
        await Assert.ThrowsAsync<SlideFormatException>(async () => await service.GetTileJpegAsync("unreadable", 4, 0, 0, ct));
    }

    [Fact]
    public async Task Evicting_open_slides_under_load_still_serves_every_tile()
    {
        using var service = Service(new MemoryTileCache(1), maxOpenSlides: 1); // nothing cached, one slide open at a time
        var ct = TestContext.Current.CancellationToken;

        var work = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            var (slide, level) = i % 2 == 0 ? ("cmu-1-small-region", 12) : ("boxes", 9);
            return (await service.GetTileJpegAsync(slide, level, 0, 0, ct)).Length;
        }, ct));

        Assert.All(await Task.WhenAll(work), length => Assert.True(length > 100));
    }
}
