using Halflife.Models.Cards;

namespace Halflife.Segmentation.Pipeline;

/// <summary>
/// value = (pixel * Multiply[c]) + Add[c] for each model input channel: the card's range or mean_std scaling folded
/// into one multiply-add per value, so preprocessing costs the same whatever the card says.
/// </summary>
internal sealed class ChannelScaling
{
    private ChannelScaling(float[] multiply, float[] add, bool perTileMean)
    {
        Multiply = multiply;
        Add = add;
        PerTileMean = perTileMean;
    }

    public float[] Multiply { get; }

    public float[] Add { get; }

    /// <summary>divide_by_mean: each tile is divided by its own mean (the multiply-add does not apply).</summary>
    public bool PerTileMean { get; }

    public bool IsIdentity => !PerTileMean && Multiply.All(m => m == 1f) && Add.All(a => a == 0f);

    public static ChannelScaling From(IntensityScaling scaling, int channels, string what)
    {
        var multiply = Enumerable.Repeat(1f, channels).ToArray();
        var add = new float[channels];
        switch (scaling.Type)
        {
            case ScalingTypes.None:
                return new ChannelScaling(multiply, add, false);
            case ScalingTypes.DivideByMean:
                return new ChannelScaling(multiply, add, true);
            case ScalingTypes.Range:
            {
                double min = scaling.Min ?? 0, max = scaling.Max ?? 255;
                if (!(max > min)) throw new ModelNotRunnableException($"{what}: range scaling needs min < max (got {min}..{max}).");
                Array.Fill(multiply, (float)(1 / (max - min)));
                Array.Fill(add, (float)(-min / (max - min)));
                return new ChannelScaling(multiply, add, false);
            }
            case ScalingTypes.MeanStd:
            {
                var mean = scaling.Mean ?? [];
                var std = scaling.Std ?? [];
                if (mean.Count != std.Count || (mean.Count != channels && mean.Count != 1))
                    throw new ModelNotRunnableException($"{what}: mean_std needs one mean and std per input channel ({channels}), got {mean.Count} and {std.Count}.");
                if (std.Any(s => !(s > 0))) throw new ModelNotRunnableException($"{what}: mean_std needs every std > 0.");
                // The schema's min/max default to 0/1, i.e. statistics in 0..255 units (e.g. mean 123.675). A card that
                // leaves them out but gives every mean and std within 0..1 (ImageNet's 0.485/0.229, the common way of
                // writing them) means pixels scaled to 0..1 first: 8-bit colour statistics below 1 would be nonsense.
                double min = scaling.Min ?? 0;
                double max = scaling.Max ?? (mean.All(m => m is >= 0 and <= 1) && std.All(s => s <= 1) ? 255 : 1);
                if (!(max > min)) throw new ModelNotRunnableException($"{what}: mean_std needs min < max (got {min}..{max}).");
                for (var c = 0; c < channels; c++)
                {
                    double m = mean[mean.Count == 1 ? 0 : c], s = std[std.Count == 1 ? 0 : c];
                    multiply[c] = (float)(1 / ((max - min) * s));
                    add[c] = (float)((-min / (max - min) - m) / s);
                }

                return new ChannelScaling(multiply, add, false);
            }
            default:
                throw new ModelNotRunnableException($"{what}: scaling '{scaling.Type}' is not one of none, range, mean_std, divide_by_mean.");
        }
    }
}
