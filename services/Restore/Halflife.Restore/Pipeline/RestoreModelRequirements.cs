using Halflife.Models.Cards;

namespace Halflife.Restore.Pipeline;

/// <summary>What Restore can feed a model, read from its card: one single-channel float32 image input (NCHW or
/// NHWC, which coincide for one channel), intensity scaling divide_by_mean or none, optional size multiples.</summary>
public sealed record RestoreModelInput(string InputName, string OutputName, bool DivideByMean, int HeightMultiple, int WidthMultiple);

/// <summary>The active model's card asks for something Restore does not implement (an operator activated the wrong model).</summary>
public sealed class ModelNotSupportedException(string message) : Exception(message);

public static class RestoreModelRequirements
{
    public static RestoreModelInput Check(ModelCard card)
    {
        var problems = new List<string>();
        if (card.Task is not ("restoration" or "denoising")) problems.Add($"task is {card.Task}, not restoration or denoising");
        if (card.Inputs.Count != 1) problems.Add($"{card.Inputs.Count} inputs; Restore feeds exactly one image");
        if (card.Outputs.Count < 1) problems.Add("no output");
        var input = card.Inputs.FirstOrDefault();
        if (input is not null)
        {
            if (input.Layout is not ("NCHW" or "NHWC")) problems.Add($"input layout {input.Layout ?? "(none)"}, not NCHW or NHWC");
            if (input.Dtype is not (null or "float32")) problems.Add($"input dtype {input.Dtype}, not float32");
            var channelAxis = input.Layout == "NHWC" ? 3 : 1;
            if (input.Shape is { Count: 4 } shape && shape[channelAxis] is not (1 or -1)) problems.Add($"{shape[channelAxis]} input channels, not 1");
        }
        var scaling = input is null ? null : card.ScalingOf(input);
        if (scaling is not null && scaling.Type is not (ScalingTypes.DivideByMean or ScalingTypes.None))
            problems.Add($"intensity scaling {scaling.Type}; Restore implements divide_by_mean and none for count images");
        if (problems.Count > 0)
            throw new ModelNotSupportedException($"Model {card.Name} {card.Version} cannot be run by Restore: {string.Join("; ", problems)}.");
        return new RestoreModelInput(input!.Name, card.Outputs[0].Name, scaling!.Type == ScalingTypes.DivideByMean,
            Math.Max(1, input.Constraints?.HeightMultipleOf ?? 1), Math.Max(1, input.Constraints?.WidthMultipleOf ?? 1));
    }
}
