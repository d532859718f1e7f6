using Halflife.Imaging.Slides;
using Halflife.Inference;
using Halflife.Segmentation.Pipeline;
using Halflife.Testing;

namespace Halflife.Segmentation.Tests.Pipeline;

/// <summary>
/// Models that differ in every way a card can say (layout, channel order, scaling, element type, fixed or dynamic
/// batch and size, activation, output resolution, classes) each give the class map that is right only if the pipeline
/// honoured that. The slide: hematoxylin-like purple (blue > red) at the left, eosin-like pink (red > blue) in the
/// middle, glass at the right.
/// </summary>
public sealed class AnyModelTests
{
    private const string BgrCard = """
        { "name": "bgr-test", "version": "1.0.0", "task": "segmentation",
          "inputs": [{ "name": "image", "layout": "NHWC", "shape": [-1, -1, -1, 3], "dtype": "float32", "channel_order": "BGR",
                       "scaling": { "type": "mean_std", "min": 0, "max": 255, "mean": [0.2, 0.5, 0.8], "std": [0.25, 0.25, 0.25] } }],
          "outputs": [{ "name": "logits", "layout": "NHWC", "shape": [-1, -1, -1, 3], "activation": "softmax",
                        "classes": ["background", "hematoxylin", "eosin"] }],
          "tiling": { "tile_size": 96, "overlap": 12, "microns_per_pixel": 1.0 } }
        """;

    private const string RgbSigmoidCard = """
        { "name": "rgb-test", "version": "1.0.0", "task": "segmentation",
          "inputs": [{ "name": "input", "layout": "NCHW", "shape": [-1, 3, -1, -1], "dtype": "float32", "channel_order": "RGB" }],
          "intensity_scaling": { "type": "range", "min": 0, "max": 255 },
          "outputs": [{ "name": "mask", "layout": "NCHW", "shape": [-1, 1, -1, -1], "activation": "sigmoid" }],
          "classes": ["hematoxylin"],
          "tiling": { "tile_size": 128, "microns_per_pixel": 1.0 } }
        """;

    private static SyntheticSlide Thirds() => new(2400, 1600, 0.5, (x, _) =>
        x < 800 ? SyntheticSlide.Hematoxylin : x < 1600 ? SyntheticSlide.Eosin : SyntheticSlide.White);

    /// <summary>Class expected at overlay x of <see cref="Thirds"/> (downsample 2), or -1 near a border.</summary>
    private static int Expected(int x) => x is > 3 and < 396 ? 1 : x is > 403 and < 796 ? 2 : x > 803 ? 0 : -1;

    [Fact]
    public async Task NHWC_BGR_mean_std_softmax_three_classes()
    {
        using var session = TestModels.Open("nhwc_bgr_meanstd_softmax3.onnx");
        var card = TestModels.Card(BgrCard);

        var (result, sink) = await Run(card, session, Thirds());

        Assert.Equal(["background", "hematoxylin", "eosin"], result.Plan.Classes);
        AssertClassMap(sink, Expected);
        Assert.Contains(result.Polygons, p => p.ClassName == "hematoxylin");
        Assert.Contains(result.Polygons, p => p.ClassName == "eosin");
        Assert.DoesNotContain(result.Polygons, p => p.ClassName == "background");
    }

    [Fact]
    public async Task The_same_model_fed_RGB_by_a_wrong_card_swaps_the_classes()
    {
        // The control that shows the test above can fail: only the channel order differs.
        using var session = TestModels.Open("nhwc_bgr_meanstd_softmax3.onnx");
        var card = TestModels.Card(BgrCard.Replace("\"BGR\"", "\"RGB\"", StringComparison.Ordinal));

        var (_, sink) = await Run(card, session, Thirds());

        AssertClassMap(sink, x => Expected(x) switch { 1 => 2, 2 => 1, var c => c });
    }

    [Fact]
    public async Task NCHW_RGB_range_one_sigmoid_channel_becomes_background_and_the_class()
    {
        using var session = TestModels.Open("nchw_rgb_range_sigmoid.onnx");

        var (result, sink) = await Run(TestModels.Card(RgbSigmoidCard), session, Thirds());

        Assert.Equal(["background", "hematoxylin"], result.Plan.Classes);
        AssertClassMap(sink, x => Expected(x) == 1 ? 1 : Expected(x) == -1 ? -1 : 0);
        var map = sink.Map(1);
        Assert.True(map[(100 * result.Plan.OverlayWidth) + 200] > 250, "purple is hematoxylin with p ~ 1");
    }

    [Fact]
    public async Task An_output_at_half_resolution_is_resampled_to_the_tile()
    {
        using var session = TestModels.Open("nchw_rgb_sigmoid_halfres.onnx");

        var (_, sink) = await Run(TestModels.Card(RgbSigmoidCard), session, Thirds());

        AssertClassMap(sink, x => Expected(x) == 1 ? 1 : Expected(x) == -1 ? -1 : 0);
    }

    [Theory]
    [InlineData("none")]    // docs/models.md: the graph applied it
    [InlineData("softmax")] // the segmentation contract: the caller applies it; the output already sums to 1, so not twice
    public async Task A_fixed_batch_of_one_float16_model_with_softmax_in_the_graph(string activation)
    {
        using var session = TestModels.Open("fixed_f16_softmax2.onnx");
        var card = TestModels.Card($$"""
            { "name": "f16-test", "version": "1.0.0", "task": "segmentation",
              "inputs": [{ "name": "pixels", "layout": "NCHW", "shape": [1, 3, 32, 32], "dtype": "float16", "channel_order": "RGB",
                           "scaling": { "type": "range", "min": 0, "max": 255 } }],
              "outputs": [{ "name": "probabilities", "layout": "NCHW", "shape": [1, 2, 32, 32], "activation": "{{activation}}",
                            "classes": ["other", "hematoxylin"] }],
              "tiling": { "overlap": 4, "microns_per_pixel": 4.0 } }
            """);

        var (result, sink) = await Run(card, session, Thirds(), batchSize: 8);

        Assert.Equal(["other", "hematoxylin"], result.Plan.Classes);
        var map = sink.Map(1);
        // Downsample 8: the purple third is overlay x < 100.
        Assert.True(map[(50 * result.Plan.OverlayWidth) + 50] > 250, $"p(hematoxylin) in purple is {map[(50 * result.Plan.OverlayWidth) + 50]}/255");
        Assert.True(map[(50 * result.Plan.OverlayWidth) + 150] < 5);
    }

    [Fact]
    public async Task The_real_HE_slide_marks_the_blue_areas_whatever_the_models_layout_and_channel_order()
    {
        var path = TestPaths.Data("wsi", "cmu-1-small-region.svs");
        using var slide = WholeSlideImage.Open(path);
        using var bgr = TestModels.Open("nhwc_bgr_meanstd_softmax3.onnx");
        using var rgb = TestModels.Open("nchw_rgb_range_sigmoid.onnx");
        var runner = new SegmentationRunner();
        var ct = TestContext.Current.CancellationToken;

        var bgrSink = new RecordingSink();
        var bgrResult = await runner.RunAsync(new SegmentationRequest(slide, TestModels.Card(BgrCard), bgr, BatchSize: 8), bgrSink, ct);
        var rgbSink = new RecordingSink();
        await runner.RunAsync(new SegmentationRequest(slide, TestModels.Card(RgbSigmoidCard), rgb, BatchSize: 8), rgbSink, ct);

        // Truth, independent of the pipeline's reader: each overlay pixel's level-0 pixels averaged, where blue and
        // red clearly differ.
        var plan = bgrResult.Plan;
        var (width0, height0) = ((int)slide.Dimensions.Width, (int)slide.Dimensions.Height);
        var level0 = slide.ReadRegion(0, 0, 0, width0, height0).Pixels;
        var size = plan.OverlayWidth;
        var truth = new byte[plan.OverlayWidth * plan.OverlayHeight * 4];
        var d = plan.OverlayDownsample;
        for (var y = 0; y < plan.OverlayHeight; y++)
            for (var x = 0; x < plan.OverlayWidth; x++)
                for (var channel = 0; channel < 3; channel++)
                {
                    int sum = 0, count = 0;
                    for (var sy = (int)(y * d); sy < Math.Min(height0, (int)((y + 1) * d)); sy++)
                        for (var sx = (int)(x * d); sx < Math.Min(width0, (int)((x + 1) * d)); sx++)
                        {
                            sum += level0[(((sy * width0) + sx) * 4) + channel];
                            count++;
                        }

                    truth[(((y * size) + x) * 4) + channel] = (byte)(count == 0 ? 255 : sum / count);
                }

        var bgrMap = bgrSink.Map(1);
        var rgbMap = rgbSink.Map(1);
        int clear = 0, bgrRight = 0, rgbRight = 0, blue = 0;
        for (var y = 0; y < plan.OverlayHeight; y++)
            for (var x = 0; x < plan.OverlayWidth; x++)
            {
                var p = ((y * size) + x) * 4;
                int b = truth[p], r = truth[p + 2];
                if (Math.Abs(b - r) < 25 || Math.Max(b, r) > 235) continue; // ambiguous, or glass (skipped tiles)
                clear++;
                blue += b > r ? 1 : 0;
                var at = (y * plan.OverlayWidth) + x;
                bgrRight += (bgrMap[at] >= 128) == (b > r) ? 1 : 0;
                rgbRight += (rgbMap[at] >= 128) == (b > r) ? 1 : 0;
            }

        Assert.True(clear > 10_000, $"only {clear} clear pixels");
        Assert.InRange(blue / (double)clear, 0.05, 0.95); // both classes present, so agreement is not trivial
        Assert.True(bgrRight > 0.97 * clear, $"BGR model right on {bgrRight / (double)clear:P1} of clear pixels");
        Assert.True(rgbRight > 0.97 * clear, $"RGB model right on {rgbRight / (double)clear:P1} of clear pixels");
        Assert.InRange(plan.OverlayDownsample, 1.9, 2.1); // 0.499 µm/px slide, 1 µm/px model
        Assert.True(plan.TilesSkipped > 0);
    }

    [Fact]
    public async Task A_tile_classifier_paints_each_tile_with_its_answer()
    {
        using var session = TestModels.Open("tile_classifier_nc.onnx");
        var card = TestModels.Card("""
            { "name": "patch-classifier", "version": "1.0.0", "task": "classification",
              "inputs": [{ "name": "input", "layout": "NCHW", "shape": [-1, 3, -1, -1], "dtype": "float32", "channel_order": "RGB",
                           "scaling": { "type": "mean_std", "min": 0, "max": 255, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225] } }],
              "outputs": [{ "name": "logits", "layout": "NC", "shape": [-1, 2], "activation": "softmax", "classes": ["normal", "tumour"] }],
              "tiling": { "tile_size": 64, "overlap": 8, "microns_per_pixel": 1.0 } }
            """);

        var (result, sink) = await Run(card, session, Thirds());

        Assert.Equal(["normal", "tumour"], result.Plan.Classes);
        // One answer per 64-pixel tile: right everywhere except within a tile of the stain borders.
        AssertClassMap(sink, x => x is > 70 and < 330 ? 1 : x is > 470 and < 730 or > 870 ? 0 : -1);
        Assert.Contains(result.Polygons, p => p.ClassName == "tumour");
        Assert.DoesNotContain(result.Polygons, p => p.ClassName == "normal");
    }

    [Theory]
    [InlineData("\"task\": \"segmentation\"", "\"task\": \"detection\"", "not a segmentation model")]
    [InlineData("\"task\": \"segmentation\"", "\"task\": \"classification\"", "as a tile classifier its output must be [N, classes]")]
    [InlineData("\"activation\": \"softmax\"", "\"activation\": \"relu\"", "does not give probabilities")]
    [InlineData("\"classes\": [\"background\", \"hematoxylin\", \"eosin\"]", "\"classes\": [\"a\", \"b\"]", "3 channels but the card names 2")]
    [InlineData("\"channel_order\": \"BGR\"", "\"channel_order\": \"GRAY\"", "GRAY gives 1 channels but the input has 3")]
    public void A_card_that_cannot_run_for_segmentation_is_refused_with_the_reason(string from, string to, string reason)
    {
        using var session = TestModels.Open("nhwc_bgr_meanstd_softmax3.onnx");
        var card = TestModels.Card(BgrCard.Replace(from, to, StringComparison.Ordinal));

        var e = Assert.Throws<ModelNotRunnableException>(() => SegmentationModelSpec.From(card, session));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<ArgumentException>(e);
    }

    private static async Task<(SegmentationResult Result, RecordingSink Sink)> Run(
        Halflife.Models.Cards.ModelCard card, InferenceSession session, ITileSource slide, int batchSize = 4)
    {
        var spec = SegmentationModelSpec.From(card, session);
        return await PipelineRun.RunAsync(slide, new OnnxTileModel(spec, session), batchSize: batchSize, cancellationToken: TestContext.Current.CancellationToken);
    }

    /// <summary>The most probable class of each overlay pixel is the expected one (columns where it is -1 are not checked).</summary>
    private static void AssertClassMap(RecordingSink sink, Func<int, int> expected)
    {
        var plan = sink.Plan!;
        var maps = Enumerable.Range(0, plan.Classes.Count).Select(sink.Map).ToArray();
        var wrong = 0;
        var checkedPixels = 0;
        for (var y = 0; y < plan.OverlayHeight; y++)
            for (var x = 0; x < plan.OverlayWidth; x++)
            {
                var want = expected(x);
                if (want < 0) continue;
                var at = (y * plan.OverlayWidth) + x;
                var best = Enumerable.Range(0, maps.Length).MaxBy(c => maps[c][at]);
                checkedPixels++;
                if (best != want) wrong++;
            }

        Assert.True(checkedPixels > 0);
        Assert.True(wrong == 0, $"{wrong} of {checkedPixels} pixels have the wrong class");
    }
}
