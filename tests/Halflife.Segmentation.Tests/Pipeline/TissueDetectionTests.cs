using Halflife.Imaging.Slides;
using Halflife.Segmentation.Pipeline;
using Halflife.Testing;

namespace Halflife.Segmentation.Tests.Pipeline;

public sealed class TissueDetectionTests
{
    [Fact]
    public async Task An_all_white_slide_skips_every_tile_and_never_runs_the_model()
    {
        var slide = new SyntheticSlide(2000, 1500, 0.5, (_, _) => SyntheticSlide.White);
        var model = new FunctionModel(128, 16, 1.0, (_, _, _) => 1f);

        var (result, sink) = await PipelineRun.RunAsync(slide, model, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.Plan.TilesTotal > 0);
        Assert.Equal(result.Plan.TilesTotal, result.Plan.TilesSkipped);
        Assert.Equal(1.0, result.Plan.SkippedFraction);
        Assert.Equal(0, model.Runs);
        Assert.Equal(0, slide.TilesRead);
        Assert.All(sink.Map(0), v => Assert.Equal(255, v)); // background everywhere, every block delivered
        Assert.All(sink.Map(1), v => Assert.Equal(0, v));
        Assert.Empty(result.Polygons);
        Assert.Equal(result.Plan.TilesTotal, sink.Progress[^1].TilesDone);
    }

    [Fact]
    public async Task An_all_tissue_slide_skips_nothing()
    {
        var slide = new SyntheticSlide(2000, 1500, 0.5, (x, y) => (x + y) % 300 < 150 ? SyntheticSlide.Eosin : SyntheticSlide.Hematoxylin);
        var model = new FunctionModel(128, 16, 1.0, (_, _, _) => 1f);

        var (result, _) = await PipelineRun.RunAsync(slide, model, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0, result.Plan.TilesSkipped);
        Assert.Equal(result.Plan.TilesTotal, result.TilesInferred);
    }

    [Fact]
    public async Task Glass_with_a_tissue_island_skips_only_tiles_without_tissue()
    {
        // Tissue: a disc of radius 700 level-0 pixels in a 4000 x 3000 field of glass.
        var slide = new SyntheticSlide(4000, 3000, 0.5, (x, y) =>
            Math.Pow(x - 1500, 2) + Math.Pow(y - 1400, 2) < 700 * 700 ? SyntheticSlide.Eosin : ((byte)245, (byte)244, (byte)246));
        var model = new FunctionModel(128, 16, 1.0, (_, _, _) => 1f);

        var (result, sink) = await PipelineRun.RunAsync(slide, model, cancellationToken: TestContext.Current.CancellationToken);

        Assert.InRange(result.Plan.SkippedFraction, 0.6, 0.95);
        // No tissue was lost: every overlay pixel inside the disc was inferred (probability 1 for the class).
        var map = sink.Map(1);
        for (var y = 0; y < result.Plan.OverlayHeight; y++)
            for (var x = 0; x < result.Plan.OverlayWidth; x++)
                if (Math.Pow(((x + 0.5) * 2) - 1500, 2) + Math.Pow(((y + 0.5) * 2) - 1400, 2) < 700 * 700)
                    Assert.Equal(255, map[(y * result.Plan.OverlayWidth) + x]);
    }

    [Fact]
    public void Specks_of_dust_are_not_tissue()
    {
        var slide = new SyntheticSlide(4000, 3000, 0.5, (x, y) => (x % 1000) < 8 && (y % 1000) < 8 ? SyntheticSlide.Hematoxylin : SyntheticSlide.White);
        var geometry = SlideGeometry.Create(slide.Dimensions, 0.5, 1.0, null);

        var mask = TissueDetector.Detect(slide, geometry);

        Assert.Equal(0, mask.TissueFraction);
    }

    [Fact]
    public void The_real_HE_slide_skips_its_white_background_and_keeps_its_tissue()
    {
        var path = TestPaths.Data("wsi", "cmu-1-small-region.svs");
        Assert.True(File.Exists(path), $"missing test data {path}");
        using var slide = WholeSlideImage.Open(path);
        var source = new SlideTileSource(slide);
        var geometry = SlideGeometry.Create(source.Dimensions, source.MicronsPerPixel, 1.0, null);

        var plan = TilePlan.Create(geometry, 256, 32, TissueDetector.Detect(source, geometry));

        Assert.InRange(plan.SkippedFraction, 0.05, 0.8);
        var tile = new byte[256 * 256 * 4];
        foreach (var t in plan.Tiles)
        {
            source.ReadTile(t.X, t.Y, 256, geometry.Downsample, tile);
            var stained = Enumerable.Range(0, 256 * 256).Count(p => PipelineRun.Saturation((tile[(p * 4) + 2], tile[(p * 4) + 1], tile[p * 4])) > 0.15) / (256.0 * 256);
            if (t.Skipped) Assert.True(stained < 0.01, $"skipped tile at {t.X},{t.Y} is {stained:P1} stained");
        }

        Assert.Contains(plan.Tiles, t => !t.Skipped);
    }
}
