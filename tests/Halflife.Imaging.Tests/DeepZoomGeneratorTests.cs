using Halflife.Imaging.Codecs;
using Halflife.Imaging.Slides;
using Halflife.Imaging.Tiles;

namespace Halflife.Imaging.Tests;

public sealed class DeepZoomGeneratorTests
{
    public static TheoryData<string, int, int, bool> Configurations => new()
    {
        { "cmu-1-small-region.svs", 254, 1, true },
        { "boxes.tiff", 254, 1, false },
        { "boxes.tiff", 64, 1, true },
        { "boxes.tiff", 30, 3, false },
        { "small.svs", 254, 1, true },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Pyramid_descriptor_and_tile_geometry_equal_openslide_python(string file, int tileSize, int overlap, bool limitBounds)
    {
        var options = new DeepZoomOptions { TileSize = tileSize, Overlap = overlap, LimitBounds = limitBounds };
        var path = TestData.RequireWsi(file);
        var expected = DeepZoomOracle.Run(path, options);
        using var slide = WholeSlideImage.Open(path);
        var generator = new DeepZoomGenerator(slide, options);

        Assert.Equal(expected.Dzi, generator.GetDzi());
        Assert.Equal(expected.LevelDimensions, generator.Levels.Select(l => (l.Size.Width, l.Size.Height)));
        Assert.Equal(expected.LevelTiles, generator.Levels.Select(l => (l.Columns, l.Rows)));
        Assert.Equal(expected.TileCount, generator.Geometry.TileCount);
        Assert.Equal(expected.TileCount, expected.Tiles.Count);
        foreach (var tile in expected.Tiles)
        {
            Assert.Equal(tile.Region, generator.Geometry.GetTileRegion(tile.Address));
        }
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Every_tile_matches_openslide_python_pixels(string file, int tileSize, int overlap, bool limitBounds)
    {
        var options = new DeepZoomOptions { TileSize = tileSize, Overlap = overlap, LimitBounds = limitBounds };
        var path = TestData.RequireWsi(file);
        var expected = DeepZoomOracle.Run(path, options);
        using var slide = WholeSlideImage.Open(path);
        var generator = new DeepZoomGenerator(slide, options);

        var checkedTiles = 0;
        foreach (var tile in expected.Tiles)
        {
            var actual = generator.RenderTile(tile.Address);
            Assert.Equal((tile.Width, tile.Height), (actual.Width, actual.Height));
            var (mean, max) = Difference(actual.ToRgb(), tile.Rgb);

            // Same reduce, filter and fixed-point arithmetic as Pillow: only compositing rounding may differ.
            Assert.True(mean <= 0.05, $"{tile.Address} {tile.Region}: mean difference {mean:F4}");
            Assert.True(max <= 2, $"{tile.Address} {tile.Region}: max difference {max}");
            checkedTiles++;
        }

        Assert.Equal(generator.Geometry.TileCount, checkedTiles);
    }

    [Fact]
    public void Small_levels_share_one_whole_level_read_and_keep_the_same_pixels()
    {
        using var slide = WholeSlideImage.Open(TestData.RequireWsi("cmu-1-small-region.svs"));
        var plain = new DeepZoomGenerator(slide);
        var regions = new LargeRegionCache();
        var shared = new DeepZoomGenerator(slide, largeRegions: regions);

        // Levels 0..8 of this single-level slide are one tile each, read from the whole of level 0.
        foreach (var level in new[] { 0, 4, 8 })
        {
            var address = new TileAddress(level, 0, 0);
            Assert.Equal(plain.RenderTile(address).Pixels, shared.RenderTile(address).Pixels);
        }

        Assert.Equal(1, regions.Reads);
    }

    [Fact]
    public void Jpeg_tile_decodes_to_the_rendered_pixels_within_compression_error()
    {
        using var slide = WholeSlideImage.Open(TestData.RequireWsi("cmu-1-small-region.svs"));
        var generator = new DeepZoomGenerator(slide);
        var address = new TileAddress(generator.Levels.Count - 1, 3, 4);

        var jpeg = generator.RenderTileJpeg(address);
        var decoded = JpegCodec.Decode(jpeg);
        var rendered = generator.RenderTile(address);

        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        Assert.Equal((256, 256), (decoded.Width, decoded.Height));
        var (mean, _) = Difference(decoded.ToRgb(), rendered.ToRgb());
        Assert.InRange(mean, 0.1, 10.0); // lossy, so not zero; quality 75 with 4:2:0 keeps it small
    }

    [Fact]
    public void Edge_and_corner_tiles_have_overlap_only_on_interior_sides()
    {
        using var slide = WholeSlideImage.Open(TestData.RequireWsi("cmu-1-small-region.svs"));
        var generator = new DeepZoomGenerator(slide);
        var top = generator.Levels.Count - 1;
        var level = generator.Levels[top];

        Assert.Equal((2220, 2967), (level.Size.Width, level.Size.Height));
        Assert.Equal((9, 12), (level.Columns, level.Rows));
        var first = generator.Geometry.GetTileRegion(new TileAddress(top, 0, 0));
        Assert.Equal((255, 255), (first.TileWidth, first.TileHeight));
        var middle = generator.Geometry.GetTileRegion(new TileAddress(top, 1, 1));
        Assert.Equal((256, 256), (middle.TileWidth, middle.TileHeight));
        var last = generator.Geometry.GetTileRegion(new TileAddress(top, 8, 11));
        Assert.Equal((2220 - (8 * 254) + 1, 2967 - (11 * 254) + 1), (last.TileWidth, last.TileHeight));
        Assert.Equal((1, 1), (generator.Levels[0].Size.Width, generator.Levels[0].Size.Height));
    }

    [Theory]
    [InlineData(-1, 0, 0)]
    [InlineData(13, 0, 0)]
    [InlineData(12, 9, 0)]
    [InlineData(12, 0, 12)]
    [InlineData(0, 1, 0)]
    [InlineData(12, -1, 0)]
    public void Tile_outside_the_pyramid_is_out_of_range(int level, int column, int row)
    {
        using var slide = WholeSlideImage.Open(TestData.RequireWsi("cmu-1-small-region.svs"));
        var generator = new DeepZoomGenerator(slide);

        var error = Assert.Throws<TileOutOfRangeException>(() => generator.RenderTileJpeg(new TileAddress(level, column, row)));
        Assert.IsAssignableFrom<ArgumentOutOfRangeException>(error);
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        using var slide = WholeSlideImage.Open(TestData.RequireWsi("boxes.tiff"));

        Assert.Throws<ArgumentOutOfRangeException>(() => new DeepZoomGenerator(slide, new DeepZoomOptions { TileSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeepZoomGenerator(slide, new DeepZoomOptions { Overlap = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeepZoomGenerator(slide, new DeepZoomOptions { JpegQuality = 101 }));
        Assert.Throws<ArgumentException>(() => new DeepZoomGenerator(slide).GetDzi("gif"));
    }

    internal static (double Mean, int Max) Difference(byte[] a, byte[] b)
    {
        Assert.Equal(a.Length, b.Length);
        long total = 0;
        var max = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = Math.Abs(a[i] - b[i]);
            total += d;
            max = Math.Max(max, d);
        }

        return ((double)total / a.Length, max);
    }
}
