using Halflife.Segmentation.Pipeline;

namespace Halflife.Segmentation.Tests.Pipeline;

public sealed class GeometryTests
{
    [Fact]
    public void The_overlay_is_at_the_models_resolution_and_covers_the_slide()
    {
        var g = SlideGeometry.Create((10_001, 8_000), 0.25, 1.0, null);

        Assert.Equal(4.0, g.Downsample);
        Assert.Equal(2501, g.Width);
        Assert.Equal(2000, g.Height);
        Assert.False(g.AssumedResolution);
        Assert.Equal((0, 0, 2501, 2000), (g.RegionX, g.RegionY, g.RegionWidth, g.RegionHeight));
    }

    [Fact]
    public void A_slide_without_a_resolution_runs_at_level_0_and_says_so()
    {
        var g = SlideGeometry.Create((1000, 800), null, 0.5, null);

        Assert.Equal(1.0, g.Downsample);
        Assert.True(g.AssumedResolution);
    }

    [Fact]
    public void A_region_is_clamped_to_the_slide_and_an_empty_or_outside_one_is_refused()
    {
        var g = SlideGeometry.Create((1000, 800), 0.5, 1.0, new SlideRegion(-100, 700, 400, 400));
        Assert.Equal((0, 350, 150, 50), (g.RegionX, g.RegionY, g.RegionWidth, g.RegionHeight));

        Assert.Throws<ArgumentException>(() => SlideGeometry.Create((1000, 800), 0.5, 1.0, new SlideRegion(2000, 0, 10, 10)));
        Assert.Throws<ArgumentException>(() => SlideGeometry.Create((1000, 800), 0.5, 1.0, new SlideRegion(0, 0, 0, 10)));
    }

    [Theory]
    [InlineData(1000, 256, 32)]
    [InlineData(257, 256, 32)]
    [InlineData(100, 256, 32)]
    [InlineData(5000, 224, 0)]
    public void Tiles_cover_the_region_with_at_least_the_overlap_and_no_overhang(int size, int tile, int overlap)
    {
        var g = SlideGeometry.Create((size, size), 1, 1, null);

        var plan = TilePlan.Create(g, tile, overlap, null);

        var xs = plan.Tiles.Select(t => t.X).Distinct().Order().ToList();
        Assert.Equal(0, xs[0]);
        Assert.Equal(Math.Max(size, tile), xs[^1] + tile);
        for (var i = 1; i < xs.Count; i++) Assert.InRange(xs[i] - xs[i - 1], 1, tile - overlap);
        Assert.Equal(xs.Count * xs.Count, plan.Tiles.Count);
        Assert.Equal(plan.Tiles.OrderBy(t => t.Y).ThenBy(t => t.X), plan.Tiles); // row-major
    }
}
