using System.Buffers.Binary;
using Halflife.Imaging.Slides;
using Halflife.Imaging.Tiles;

namespace Halflife.Imaging.Tests;

public sealed class ThumbnailTests
{
    [Theory]
    [InlineData("cmu-1-small-region.svs", 200)]
    [InlineData("boxes.tiff", 100)]
    [InlineData("boxes.tiff", 500)]
    public void Thumbnail_matches_openslide_python_get_thumbnail(string file, int maxSize)
    {
        const string script = """
            import sys, openslide
            t = openslide.OpenSlide(sys.argv[1]).get_thumbnail((int(sys.argv[2]), int(sys.argv[2])))
            open(sys.argv[3], 'wb').write(t.tobytes())
            print(t.size[0], t.size[1])
            """;
        var path = TestData.RequireWsi(file);
        var raw = Path.GetTempFileName();
        try
        {
            var size = PythonOracle.Run(script, path, maxSize.ToString(), raw).Trim();
            using var slide = WholeSlideImage.Open(path);

            var thumbnail = slide.GetThumbnail(maxSize, maxSize);

            Assert.Equal(size, $"{thumbnail.Width} {thumbnail.Height}");
            var (mean, max) = DeepZoomGeneratorTests.Difference(thumbnail.ToRgb(), File.ReadAllBytes(raw));
            Assert.True(mean <= 0.05 && max <= 2, $"mean {mean:F3}, max {max}");
        }
        finally
        {
            File.Delete(raw);
        }
    }

    [Fact]
    public async Task Service_serves_associated_images_and_thumbnails_as_png()
    {
        var folder = Path.GetDirectoryName(TestData.RequireWsi("cmu-1-small-region.svs"))!;
        using var service = new DeepZoomTileService(new DirectorySlideLocator(folder), new MemoryTileCache(50_000_000));
        var ct = TestContext.Current.CancellationToken;

        var label = await service.GetAssociatedImagePngAsync("cmu-1-small-region", "label", ct);
        var thumbnail = await service.GetThumbnailPngAsync("boxes", 64, ct);

        var labelSize = service.Describe("cmu-1-small-region").GetAssociatedImageDimensions("label");
        Assert.Equal((labelSize.Width, labelSize.Height), PngSize(label));
        Assert.Equal((64L, 53L), PngSize(thumbnail)); // 300x250 into 64x64 keeps the aspect
        Assert.Equal("aperio", service.Describe("cmu-1-small-region").Vendor);
        await Assert.ThrowsAsync<KeyNotFoundException>(async () => await service.GetAssociatedImagePngAsync("boxes", "label", ct));
    }

    private static (long Width, long Height) PngSize(byte[] png)
    {
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }
}
