using Halflife.Imaging.Slides;
using Halflife.Segmentation.Pipeline;
using Halflife.Testing;

namespace Halflife.Segmentation.Tests.Pipeline;

public sealed class SlideTileSourceTests
{
    private static WholeSlideImage Open() => WholeSlideImage.Open(TestPaths.Data("wsi", "cmu-1-small-region.svs"));

    [Fact]
    public void At_the_slides_own_resolution_a_tile_is_the_level_0_region()
    {
        using var slide = Open();
        var tile = new byte[128 * 128 * 4];

        new SlideTileSource(slide).ReadTile(10, 7, 128, 1.0, tile);

        var region = slide.ReadRegion(10, 7, 0, 128, 128);
        Assert.Equal(region.Pixels, tile);
    }

    [Theory]
    [InlineData(2.004)] // 0.499 µm/px slide, 1 µm/px model: block averaging
    [InlineData(1.7)]   // not a whole multiple: Lanczos
    [InlineData(3.0)]
    public void A_downsampled_tile_shows_the_same_area_as_the_level_0_region(double downsample)
    {
        using var slide = Open();
        var tile = new byte[64 * 64 * 4];
        const long x = 300, y = 500;

        new SlideTileSource(slide).ReadTile(x, y, 64, downsample, tile);

        // Compare the mean colour of each 4 x 4 grid cell: misplaced or mis-scaled tiles differ strongly on tissue.
        var extent = (int)Math.Round(64 * downsample);
        var region = slide.ReadRegion((long)Math.Round(x * downsample), (long)Math.Round(y * downsample), 0, extent, extent).Pixels;
        for (var cell = 0; cell < 16; cell++)
            for (var channel = 0; channel < 3; channel++)
            {
                var expected = Mean(region, extent, cell % 4, cell / 4, channel);
                var actual = Mean(tile, 64, cell % 4, cell / 4, channel);
                Assert.True(Math.Abs(expected - actual) < 4, $"cell {cell} channel {channel}: {actual:0.0} vs {expected:0.0}");
            }
    }

    [Fact]
    public void The_tissue_picture_comes_from_the_stored_thumbnail_of_a_single_level_slide()
    {
        using var slide = Open();

        var picture = new SlideTileSource(slide).ReadThumbnail(139, 186);

        // Same field as GetThumbnail (which decodes the whole level): their mean colours agree.
        var full = slide.GetThumbnail(139, 186);
        Assert.Equal((full.Width, full.Height), (picture.Width, picture.Height));
        for (var channel = 0; channel < 3; channel++)
            Assert.True(Math.Abs(Mean(full.Pixels, full.Width, 0, 0, channel, full.Width) - Mean(picture.Pixels, picture.Width, 0, 0, channel, picture.Width)) < 3);
    }

    private static double Mean(byte[] bgra, int width, int cellX, int cellY, int channel, int? cellSize = null)
    {
        var size = cellSize ?? width / 4;
        var height = bgra.Length / 4 / width;
        double sum = 0;
        var count = 0;
        for (var y = cellY * size; y < Math.Min(height, (cellY + 1) * size); y++)
            for (var x = cellX * size; x < Math.Min(width, (cellX + 1) * size); x++)
            {
                sum += bgra[(((y * width) + x) * 4) + channel];
                count++;
            }

        return sum / count;
    }
}
