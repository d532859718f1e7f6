using System.Diagnostics;
using Halflife.Imaging.Slides;
using Halflife.Inference;
using Halflife.Models.Cards;
using Halflife.Segmentation.Pipeline;

namespace Halflife.Segmentation.Benchmarks;

/// <summary>
/// The prototype's approach, for comparison: every tile of the slide in turn (no tissue detection), read ->
/// preprocess -> run with batch 1 -> write its probabilities into the map (no blending, no overlap with reading).
/// Same tiles, reader, preprocessing and decoding as the pipeline, so the difference is the pipeline's design.
/// </summary>
internal static class PlainLoop
{
    /// <summary>Runs the loop; returns the tile count and the seconds spent reading, preprocessing, inferring and writing.</summary>
    public static (int Tiles, Dictionary<string, double> Stages) Run(WholeSlideImage slide, ModelCard card, InferenceSession session)
    {
        var spec = SegmentationModelSpec.From(card, session);
        var model = new OnnxTileModel(spec, session);
        var source = new SlideTileSource(slide);
        var geometry = SlideGeometry.Create(source.Dimensions, source.MicronsPerPixel, spec.MicronsPerPixel, null);
        var plan = TilePlan.Create(geometry, spec.TileSize, spec.Overlap, tissue: null);
        var decoder = new OutputDecoder(spec.Activation, spec.Classes.Count, spec.TileSize);
        int size = spec.TileSize, plane = size * size;
        var map = new byte[(long)geometry.Width * geometry.Height];
        var probabilities = new float[spec.Classes.Count * plane];
        var stages = new Dictionary<string, double> { ["read tiles"] = 0, ["preprocess"] = 0, ["inference"] = 0, ["write"] = 0 };
        var clock = Stopwatch.GetTimestamp();
        void Lap(string stage)
        {
            var now = Stopwatch.GetTimestamp();
            stages[stage] += Stopwatch.GetElapsedTime(clock, now).TotalSeconds;
            clock = now;
        }

        foreach (var tile in plan.Tiles)
        {
            var pixels = new byte[plane * 4];
            source.ReadTile(tile.X, tile.Y, size, geometry.Downsample, pixels);
            Lap("read tiles");
            var input = model.Prepare([pixels]);
            Lap("preprocess");
            var output = model.Run(input);
            Lap("inference");
            decoder.Decode(output, 0, probabilities);
            for (var y = 0; y < size && tile.Y + y < geometry.Height; y++)
                for (var x = 0; x < size && tile.X + x < geometry.Width; x++)
                    map[((long)(tile.Y + y) * geometry.Width) + tile.X + x] = (byte)(probabilities[plane + (y * size) + x] * 255);
            Lap("write");
        }

        return (plan.Tiles.Count, stages);
    }
}
