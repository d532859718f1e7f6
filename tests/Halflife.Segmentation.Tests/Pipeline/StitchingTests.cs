using Halflife.Segmentation.Pipeline;

namespace Halflife.Segmentation.Tests.Pipeline;

public sealed class StitchingTests
{
    private static SyntheticSlide Smooth() => new(3000, 2200, 0.5, (x, y) =>
        ((byte)(128 + (100 * Math.Sin(x / 300.0) * Math.Cos(y / 250.0))), 60, 150));

    [Fact]
    public async Task A_constant_model_gives_the_constant_everywhere_with_no_seams()
    {
        var slide = new SyntheticSlide(3000, 2200, 0.5, (_, _) => SyntheticSlide.Eosin);
        var model = new FunctionModel(128, 16, 1.0, (_, _, _) => 0.6f);

        var (result, sink) = await PipelineRun.RunAsync(slide, model, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1500, result.Plan.OverlayWidth);
        Assert.Equal(1100, result.Plan.OverlayHeight);
        Assert.Equal(0, result.Plan.TilesSkipped);
        var map = sink.Map(1);
        Assert.DoesNotContain(-1, map);
        Assert.All(map, v => Assert.InRange(v, 152, 154));
        Assert.All(sink.Map(0), v => Assert.InRange(v, 101, 103));
    }

    [Fact]
    public async Task A_smooth_function_of_position_is_reproduced_across_tile_borders()
    {
        var slide = Smooth();
        var model = new FunctionModel(128, 16, 1.0, (r, _, _) => r / 255f);

        var (result, sink) = await PipelineRun.RunAsync(slide, model, cancellationToken: TestContext.Current.CancellationToken);

        var map = sink.Map(1);
        int width = result.Plan.OverlayWidth, height = result.Plan.OverlayHeight;
        var worst = 0;
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var expected = slide.ColourAt((x + 0.5) * 2, (y + 0.5) * 2).R;
                worst = Math.Max(worst, Math.Abs(map[(y * width) + x] - expected));
            }

        Assert.True(worst <= 1, $"largest difference from the function: {worst}/255");
    }

    [Fact]
    public async Task Blocks_equal_a_whole_map_blend_and_arrive_while_tiles_are_still_running()
    {
        // Output depends on the pixel's place in its tile, so overlapping tiles disagree and the blend matters.
        var slide = Smooth();
        var model = new FunctionModel(128, 16, 1.0, (r, _, _) => r / 255f, (x, _, v) => v * (0.7f + (0.3f * x / 127f)));

        var (result, sink) = await PipelineRun.RunAsync(slide, model, batchSize: 3, cancellationToken: TestContext.Current.CancellationToken);

        // Reference: every tile blended into one full-size map at once.
        int width = result.Plan.OverlayWidth, height = result.Plan.OverlayHeight;
        var geometry = SlideGeometry.Create(slide.Dimensions, 0.5, 1.0, null);
        var plan = TilePlan.Create(geometry, 128, 16, null);
        var weights = BlendWeights.Create(128, 16);
        var sum = new double[width * height];
        var total = new double[width * height];
        var tile = new byte[128 * 128 * 4];
        foreach (var t in plan.Tiles)
        {
            slide.ReadTile(t.X, t.Y, 128, 2, tile);
            for (var y = 0; y < 128 && t.Y + y < height; y++)
                for (var x = 0; x < 128 && t.X + x < width; x++)
                {
                    var p = tile[(((y * 128) + x) * 4) + 2] / 255.0 * (0.7 + (0.3 * x / 127.0));
                    sum[((t.Y + y) * width) + t.X + x] += weights[(y * 128) + x] * p;
                    total[((t.Y + y) * width) + t.X + x] += weights[(y * 128) + x];
                }
        }

        var map = sink.Map(1);
        var worst = 0.0;
        for (var i = 0; i < map.Length; i++) worst = Math.Max(worst, Math.Abs(map[i] - (255 * sum[i] / total[i])));
        Assert.True(worst <= 0.51, $"blocks differ from the whole-map blend by up to {worst:0.00}/255");

        var blocks = (int)Math.Ceiling(width / 256.0) * (int)Math.Ceiling(height / 256.0);
        Assert.Equal(blocks, sink.Blocks.Count);
        Assert.Equal(blocks, sink.Blocks.Select(b => (b.BlockColumn, b.BlockRow)).Distinct().Count());
        // The first block is final after the first tile rows, long before the last tile.
        Assert.True(sink.TilesDoneAtBlock[0] < result.Plan.TilesTotal / 3, $"first block after {sink.TilesDoneAtBlock[0]} of {result.Plan.TilesTotal} tiles");
    }

    [Fact]
    public async Task Tiles_go_to_the_model_in_batches_that_ramp_up_to_the_requested_size()
    {
        var slide = new SyntheticSlide(1000, 700, 1.0, (_, _) => SyntheticSlide.Eosin);
        var model = new FunctionModel(128, 16, 1.0, (_, _, _) => 0.5f);

        var (result, _) = await PipelineRun.RunAsync(slide, model, batchSize: 8, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(result.TilesInferred, model.BatchSizes.Sum());
        Assert.Equal([1, 2, 4], model.BatchSizes.Take(3));
        Assert.All(model.BatchSizes.Skip(3).SkipLast(1), b => Assert.Equal(8, b));
        Assert.InRange(model.BatchSizes[^1], 1, 8);
        Assert.Equal(result.TilesInferred, slide.TilesRead);
        Assert.True(result.StageTimes.ContainsKey("inference") && result.StageTimes.ContainsKey("read tiles"));
    }

    [Fact]
    public async Task Cancellation_stops_the_job_between_batches()
    {
        var slide = new SyntheticSlide(3000, 3000, 1.0, (_, _) => SyntheticSlide.Eosin);
        var model = new FunctionModel(64, 8, 1.0, (_, _, _) => 0.5f);
        using var cancel = new CancellationTokenSource();
        var sink = new RecordingSink { OnProgress = (done, _) => { if (done > 0) cancel.Cancel(); return ValueTask.CompletedTask; } };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PipelineRun.RunAsync(slide, model, batchSize: 4, sink: sink, cancellationToken: cancel.Token));

        // 2500 tiles planned; the run stopped after the first batch (plus the few the reader had prepared ahead).
        Assert.InRange(model.Runs, 1, 2);
        Assert.True(model.BatchSizes.Sum() < 10);
        Assert.True(slide.TilesRead <= 4 * (2 + SegmentationRunner.PreparedBatchesAhead + 1), $"{slide.TilesRead} tiles read");
    }

    [Fact]
    public async Task A_region_computes_only_the_tiles_and_blocks_under_it()
    {
        var slide = new SyntheticSlide(4000, 4000, 1.0, (_, _) => SyntheticSlide.Eosin);
        var model = new FunctionModel(128, 16, 1.0, (_, _, _) => 0.9f);

        var (result, sink) = await PipelineRun.RunAsync(slide, model, new SlideRegion(1000, 1200, 600, 300), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(4000, result.Plan.OverlayWidth); // the overlay still covers the slide
        Assert.Equal(6 * 3, result.Plan.TilesTotal);   // 600 = 128 + 4 x 112 (+ one moved back), 300 = 128 + 112 (+ one)
        Assert.All(sink.Blocks, b => Assert.InRange(b.BlockColumn, 1000 / 256, 1599 / 256));
        Assert.All(sink.Blocks, b => Assert.InRange(b.BlockRow, 1200 / 256, 1499 / 256));
        var polygon = Assert.Single(result.Polygons);
        Assert.Equal("tumour-like", polygon.ClassName);
        Assert.InRange(polygon.Ring.Min(p => p.X), 995, 1005);
        Assert.InRange(polygon.Ring.Max(p => p.X), 1595, 1605);
        Assert.InRange(polygon.Ring.Min(p => p.Y), 1195, 1205);
        Assert.InRange(polygon.Ring.Max(p => p.Y), 1495, 1505);
    }
}
