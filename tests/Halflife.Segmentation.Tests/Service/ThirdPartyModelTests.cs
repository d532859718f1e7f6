using Halflife.Imaging.Slides;
using Halflife.Segmentation.Pipeline;
using Halflife.Testing;

namespace Halflife.Segmentation.Tests.Service;

/// <summary>
/// A hospital's own model, uploaded through POST /api/models with its card and run through the job API: a
/// CAMELYON16-style card (channels-last, BGR, mean/std normalisation, softmax over background and two tissue classes).
/// The model calls blue-dominant pixels "hematoxylin" and red-dominant ones "eosin" only when it is fed B, G, R
/// normalised as its card says; fed RGB the two classes swap, so the overlay matches the slide only if the card was honoured.
/// </summary>
[Trait("Category", "Slow")]
[Collection(ServiceCollection.Name)]
public sealed class ThirdPartyModelTests(ServiceFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_uploaded_NHWC_BGR_mean_std_softmax_model_colours_each_stain_as_its_card_says()
    {
        var host = fixture.Host;
        var id = (string)(await host.StartJobAsync(new { slideId = fixture.SlideId, model = ServiceFixture.ThirdPartyModel }))["id"]!;
        var job = await host.WaitForStateAsync(id, "succeeded", "failed");
        Assert.True((string?)job["state"] == "succeeded", (string?)job["error"]);
        Assert.Equal("2.1.0", (string?)job["modelVersion"]);
        var classes = job["classes"]!.AsArray();
        Assert.Equal(["hematoxylin", "eosin"], classes.Select(c => (string?)c!["name"]));
        var colours = classes.Select(c => Convert.FromHexString(((string)c!["color"]!)[1..])).ToList();

        // The overlay's top level, pixel by pixel: which class is drawn where.
        var width = (int)job["overlay"]!["width"]!;
        var height = (int)job["overlay"]!["height"]!;
        var downsample = (double)job["overlay"]!["downsample"]!;
        var top = (int)Math.Ceiling(Math.Log2(Math.Max(width, height)));
        var drawn = new int[width * height]; // 0 nothing, 1 hematoxylin, 2 eosin
        for (var row = 0; row * 256 < height; row++)
        for (var column = 0; column * 256 < width; column++)
        {
            var png = PngPixels.Decode(await host.Http.GetByteArrayAsync($"/api/segmentation/jobs/{id}/overlay_files/{top}/{column}_{row}.png", Ct));
            for (var y = 0; y < png.Height; y++)
            for (var x = 0; x < png.Width; x++)
            {
                if (png.Alpha(x, y) == 0) continue;
                var (r, g, b) = png.Colour(x, y);
                var cls = colours.FindIndex(c => c[0] == r && c[1] == g && c[2] == b);
                Assert.True(cls >= 0, $"colour {r},{g},{b} belongs to no class");
                drawn[(row * 256 + y) * width + column * 256 + x] = cls + 1;
            }
        }

        // Truth: the slide itself at the overlay's resolution, where blue and red clearly differ. Read in 256-pixel
        // pieces, each with an exact origin, as the pipeline reads its tiles (one big read would drift by a few pixels
        // across the slide, since 0.499 µm/px is read as an exact factor of 2).
        using var slide = WholeSlideImage.Open(TestPaths.Data("wsi", ServiceFixture.Slide));
        var source = new SlideTileSource(slide);
        var size = width;
        var truth = new byte[width * height * 4];
        var piece = new byte[256 * 256 * 4];
        for (var py = 0; py < height; py += 256)
        for (var px = 0; px < width; px += 256)
        {
            source.ReadTile(px, py, 256, downsample, piece);
            for (var y = 0; y < Math.Min(256, height - py); y++)
                piece.AsSpan(y * 256 * 4, Math.Min(256, width - px) * 4).CopyTo(truth.AsSpan(((py + y) * width + px) * 4));
        }
        int clear = 0, right = 0, swapped = 0, blue = 0;
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var p = (y * size + x) * 4;
            int b = truth[p], r = truth[p + 2];
            var at = drawn[y * width + x];
            if (Math.Abs(b - r) < 25 || Math.Max(b, r) > 200 || at == 0) continue; // ambiguous, glass, or skipped as background
            clear++;
            var expected = b > r ? 1 : 2;
            blue += expected == 1 ? 1 : 0;
            right += at == expected ? 1 : 0;
            swapped += at == 3 - expected ? 1 : 0;
        }
        Assert.True(clear > 10_000, $"only {clear} clear tissue pixels");
        Assert.InRange(blue / (double)clear, 0.02, 0.98); // both stains present: agreement is not trivial
        Assert.True(right > 0.9 * clear, $"the overlay agrees with the stain on {right / (double)clear:P1} of {clear} clear pixels ({swapped} swapped)");
    }

    [Fact]
    public async Task An_uploaded_tile_classifier_runs_as_a_coarse_heat_map()
    {
        // Many CAMELYON16 models are patch classifiers: task "classification", output [N, classes], ImageNet mean/std.
        var host = fixture.Host;
        await host.UploadModelAsync(Path.Combine(ServiceModels.Folder(), "tile_classifier_nc.onnx"), """
            { "name": "camelyon-patch-classifier", "version": "0.3.0", "task": "classification",
              "inputs": [{ "name": "input", "layout": "NCHW", "shape": [-1, 3, -1, -1], "dtype": "float32", "channel_order": "RGB",
                           "scaling": { "type": "mean_std", "min": 0, "max": 255, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225] } }],
              "outputs": [{ "name": "logits", "layout": "NC", "shape": [-1, 2], "activation": "softmax", "classes": ["normal", "tumour"] }],
              "tiling": { "tile_size": 64, "overlap": 8, "microns_per_pixel": 2.0 } }
            """);

        var id = (string)(await host.StartJobAsync(new { slideId = fixture.SlideId, model = "camelyon-patch-classifier" }))["id"]!;
        var job = await host.WaitForStateAsync(id, "succeeded", "failed");

        Assert.True((string?)job["state"] == "succeeded", (string?)job["error"]);
        Assert.Equal(["tumour"], job["classes"]!.AsArray().Select(c => (string?)c!["name"]));
        Assert.True((int)job["polygonCount"]! > 0, "tiles whose mean is blue-dominant are outlined");
        // The announcement leaves through the outbox after the job row is final: wait for it.
        var completed = await SegmentationHost.PollAsync(async () =>
        {
            await Task.Yield();
            return host.Completed.FirstOrDefault(c => c.JobId == Guid.Parse(id));
        }, TimeSpan.FromSeconds(30), "SegmentationCompleted of the tile classifier's job");
        Assert.Equal("0.3.0", completed.ModelVersion);

        // Painted tile by tile: some of the tissue is "tumour" (blue-dominant tiles), not all of it.
        var width = (int)job["overlay"]!["width"]!;
        var height = (int)job["overlay"]!["height"]!;
        var top = (int)Math.Ceiling(Math.Log2(Math.Max(width, height)));
        int drawn = 0, total = 0;
        for (var row = 0; row * 256 < height; row++)
        for (var column = 0; column * 256 < width; column++)
        {
            var png = PngPixels.Decode(await host.Http.GetByteArrayAsync($"/api/segmentation/jobs/{id}/overlay_files/{top}/{column}_{row}.png", Ct));
            for (var y = 0; y < png.Height; y++)
            for (var x = 0; x < png.Width; x++)
            {
                total++;
                drawn += png.Alpha(x, y) > 0 ? 1 : 0;
            }
        }
        Assert.InRange(drawn / (double)total, 0.02, 0.9);
    }
}
