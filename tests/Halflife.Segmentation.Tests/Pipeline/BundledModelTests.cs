using Halflife.Imaging.Slides;
using Halflife.Inference;
using Halflife.Models.Cards;
using Halflife.Segmentation.Pipeline;
using Halflife.Testing;

namespace Halflife.Segmentation.Tests.Pipeline;

/// <summary>The project's own model (models/he-tumour-seg, trained in training/) through the pipeline on the real slide.</summary>
public sealed class BundledModelTests
{
    [Fact]
    public async Task The_bundled_model_segments_the_real_HE_slide()
    {
        var folder = Path.Combine(TestPaths.RepoRoot, "models", "he-tumour-seg");
        var onnx = Path.Combine(folder, "model.onnx");
        var cardFile = new[] { "card.json", "model-card.json" }.Select(f => Path.Combine(folder, f)).FirstOrDefault(File.Exists);
        if (!File.Exists(onnx) || cardFile is null) Assert.Skip("models/he-tumour-seg is not in the tree yet");
        var card = ModelCard.Parse(await File.ReadAllBytesAsync(cardFile!, TestContext.Current.CancellationToken));
        using var session = new InferenceSession(onnx);
        using var slide = WholeSlideImage.Open(TestPaths.Data("wsi", "cmu-1-small-region.svs"));
        var sink = new RecordingSink();

        var result = await new SegmentationRunner().RunAsync(new SegmentationRequest(slide, card, session), sink, TestContext.Current.CancellationToken);

        Assert.Equal(result.Plan.TilesTotal - result.Plan.TilesSkipped, result.TilesInferred);
        Assert.True(result.TilesInferred > 0);
        Assert.InRange(result.Plan.OverlayDownsample * 0.499, (card.Tiling?.MicronsPerPixel ?? 0.499) * 0.99, (card.Tiling?.MicronsPerPixel ?? 0.499) * 1.01);
        for (var c = 0; c < result.Plan.Classes.Count; c++) Assert.DoesNotContain(-1, sink.Map(c)); // every block delivered
        // Class probabilities of a softmax model sum to one in every pixel (within byte rounding).
        if (card.Outputs[0].Activation == "softmax")
        {
            var maps = Enumerable.Range(0, result.Plan.Classes.Count).Select(sink.Map).ToArray();
            for (var i = 0; i < maps[0].Length; i += 97) Assert.InRange(maps.Sum(m => m[i]), 255 - maps.Length, 255 + maps.Length);
        }

        Assert.All(result.Polygons, p => Assert.NotEqual(0, p.ClassIndex));
    }
}
