using Halflife.Segmentation.Overlay;
using Halflife.Segmentation.Pipeline;

namespace Halflife.Segmentation.Tests.Overlay;

/// <summary>The overlay's Deep Zoom geometry, max-pooling and colouring, without a host.</summary>
public sealed class OverlayPyramidTests
{
    [Theory]
    [InlineData(1110, 1484, 11, 1, 555)]      // the H&E test slide at 1 µm/px: the overview is the level just below the top
    [InlineData(25_000, 20_000, 15, 4, 1563)] // a whole slide: blocks serve the top 4 levels, the overview the rest
    [InlineData(200, 100, 8, 1, 100)]
    public void Levels_follow_Deep_Zoom_and_the_overview_stays_small(int width, int height, int maxLevel, int shift, int overviewWidth)
    {
        var geometry = new OverlayGeometry(width, height);

        Assert.Equal(maxLevel, geometry.MaxLevel);
        Assert.Equal(shift, geometry.OverviewShift);
        Assert.Equal(overviewWidth, geometry.OverviewWidth);
        Assert.True(Math.Max(geometry.OverviewWidth, geometry.OverviewHeight) <= OverlayGeometry.MaxOverviewSide);
        Assert.Equal((width, height), geometry.LevelSize(maxLevel));
        Assert.Equal((1, 1), geometry.LevelSize(0));
        Assert.Equal(((width + 255) / 256, (height + 255) / 256), geometry.LevelTiles(maxLevel));
        Assert.Equal((width - (width - 1) / 256 * 256, 256 > height ? height : 256), geometry.TileSizeAt(maxLevel, (width - 1) / 256, 0));
        Assert.False(geometry.Contains(maxLevel + 1, 0, 0));
        Assert.False(geometry.Contains(maxLevel, (width + 255) / 256, 0));
        Assert.Contains($"Width=\"{width}\" Height=\"{height}\"", geometry.ToDzi());
    }

    [Fact]
    public void Pooling_keeps_a_small_confident_focus_and_colours_it_by_class_with_alpha_from_probability()
    {
        // Two foreground classes after background (softmax): a 2x2 focus of class 2 at p = 0.9 in an otherwise p = 0.3 block.
        var classes = OverlayClass.Foreground(["background", "tumour", "necrosis"], softmax: true);
        Assert.Equal([1, 2], classes.Select(c => c.Index));
        var probabilities = new byte[3 * 256 * 256];
        Array.Fill(probabilities, (byte)77, 256 * 256, 256 * 256); // tumour 0.3 everywhere
        for (var y = 100; y < 102; y++)
        for (var x = 40; x < 42; x++)
            probabilities[2 * 256 * 256 + y * 256 + x] = 230; // necrosis 0.9
        var block = new ProbabilityBlock(1, 0, 256, 256, 3, probabilities);

        // An 8x-downsampled grid whose origin is the block's own origin: the focus lands on pixel (5, 12).
        var pooled = new PooledTile(32, 32);
        pooled.Add(block, classes, 256, 0, 3);
        var image = pooled.Render(classes);

        var focus = (12 * 32 + 5) * 4;
        Assert.Equal([0x4b, 0xb4, 0x3c, 230], image.Pixels[focus..(focus + 4)]); // necrosis' colour (#3cb44b as B,G,R) at alpha 0.9
        Assert.Equal(0, image.Pixels[3]); // tumour at 0.3 is below 0.5: transparent
        Assert.Equal(1, Enumerable.Range(0, 32 * 32).Count(i => image.Pixels[i * 4 + 3] > 0));

        // A coarser grid pooled from this one keeps the focus too.
        var coarser = new PooledTile(4, 4);
        coarser.Add(pooled, 0, 0, 3);
        Assert.Equal(230, coarser.Probabilities[1 * 4 + 0]);
        Assert.Equal(3, coarser.Classes[1 * 4 + 0]);
    }

    [Fact]
    public void A_class_named_background_is_never_drawn_and_sigmoid_classes_all_are()
    {
        Assert.Equal(["tumour"], OverlayClass.Foreground(["background", "tumour"], softmax: false).Select(c => c.Name));
        Assert.Equal(["a", "b"], OverlayClass.Foreground(["a", "b"], softmax: false).Select(c => c.Name));
        Assert.Equal(["b"], OverlayClass.Foreground(["a", "b"], softmax: true).Select(c => c.Name));
    }
}
