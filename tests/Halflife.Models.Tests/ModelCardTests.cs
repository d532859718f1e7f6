using Halflife.Models.Cards;

namespace Halflife.Models.Tests;

public sealed class ModelCardTests
{
    [Fact]
    public void The_committed_bone_restore_card_parses()
    {
        var card = ModelCard.Parse(ModelFiles.BoneRestoreCard());
        Assert.Equal(("bone-restore", "1.0.0", "restoration"), (card.Name, card.Version, card.Task));
        var input = Assert.Single(card.Inputs);
        Assert.Equal(("input", "NCHW", "float32"), (input.Name, input.Layout, input.Dtype));
        Assert.Equal([-1L, 1, -1, -1], input.Shape);
        Assert.Equal(16, input.Constraints?.HeightMultipleOf);
        Assert.Equal(ScalingTypes.DivideByMean, card.ScalingOf(input).Type);
    }

    [Fact]
    public void A_segmentation_card_with_nhwc_rgb_mean_std_tiles_and_classes_parses()
    {
        var card = ModelCard.Parse("""
            {
              "name": "tumour-seg", "version": "0.3.1", "task": "segmentation",
              "inputs": [{ "name": "image", "layout": "NHWC", "shape": [-1, 512, 512, 3], "dtype": "float32", "channel_order": "RGB",
                           "scaling": { "type": "mean_std", "min": 0, "max": 255, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225] } }],
              "outputs": [{ "name": "mask", "layout": "NCHW", "shape": [-1, 2, 512, 512], "activation": "softmax", "classes": ["background", "tumour"] }],
              "tiling": { "tile_size": 512, "overlap": 64, "microns_per_pixel": 0.5 }
            }
            """u8);
        var input = card.Inputs[0];
        Assert.Equal(("NHWC", "RGB"), (input.Layout, input.ChannelOrder));
        Assert.Equal([0.229, 0.224, 0.225], card.ScalingOf(input).Std);
        Assert.Equal(["background", "tumour"], card.Outputs[0].Classes);
        Assert.Equal((512, 64, 0.5), (card.Tiling!.TileSize, card.Tiling.Overlap, card.Tiling.MicronsPerPixel));
    }

    [Fact]
    public void Every_schema_problem_is_reported_at_once()
    {
        var error = Assert.Throws<ModelValidationException>(() => ModelCard.Parse("""
            {
              "name": "Bad Name", "version": "../1", "task": "magic",
              "inputs": [{ "name": "x", "shape": [-1, 3, 64, 64], "channel_order": "RGB",
                           "scaling": { "type": "mean_std", "mean": [0.5, 0.5], "std": [0.2, 0.2, 0.2] } }],
              "outputs": [{ "name": "y", "shape": [-1, 0], "activation": "tanh" }],
              "tiling": { "tile_size": 64, "overlap": 40 }
            }
            """u8));
        var text = string.Join("\n", error.Errors);
        Assert.Contains("name 'Bad Name' is invalid", text);
        Assert.Contains("version '../1' is invalid", text);
        Assert.Contains("task 'magic'", text);
        Assert.Contains("layout is required", text);
        Assert.Contains("mean has 2 values but std has 3", text);
        Assert.Contains("dimensions are positive or -1", text);
        Assert.Contains("activation 'tanh'", text);
        Assert.Contains("overlap must be less than half", text);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[1,2]")]
    public void Malformed_json_is_a_validation_error_not_a_crash(string json)
    {
        Assert.Throws<ModelValidationException>(() => ModelCard.Parse(System.Text.Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Channel_names_must_match_a_fixed_channel_dimension()
    {
        var error = Assert.Throws<ModelValidationException>(() => ModelCard.Parse(ModelFiles.BoneRestoreCard(c =>
            c["inputs"]![0]!["channels"] = new System.Text.Json.Nodes.JsonArray("a", "b"))));
        Assert.Contains(error.Errors, e => e.Contains("names 2 channels but the shape has 1"));
    }
}
