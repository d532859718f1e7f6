using Halflife.Models.Cards;

namespace Halflife.Segmentation.Api;

/// <summary>
/// What can be told from a card before a job is queued, so a request for a model that can never run as a
/// segmentation gets 422 at once instead of a failed job later. The pipeline checks the rest (layout, shapes) when
/// it plans, and a job whose model it refuses fails with the pipeline's reason. A tile classifier (task
/// 'classification', output [N, classes], as many CAMELYON16 models are) runs too: each tile is painted with its
/// class probabilities, a coarser map.
/// </summary>
public static class SegmentationCardCheck
{
    /// <returns>Why the card cannot be run, or null.</returns>
    public static string? Problem(ModelCard card)
    {
        var classifier = string.Equals(card.Task, "classification", StringComparison.OrdinalIgnoreCase);
        if (!classifier && !string.Equals(card.Task, "segmentation", StringComparison.OrdinalIgnoreCase))
            return $"its card's task is '{card.Task}', not 'segmentation' (or 'classification' of tiles).";
        if (card.Inputs.Count != 1) return $"a segmentation model takes one image input; the card lists {card.Inputs.Count}.";
        if (card.Outputs.Count < 1) return "the card lists no output.";
        var input = card.Inputs[0];
        if (input.Layout is not ("NCHW" or "NHWC")) return $"the input layout must be NCHW or NHWC, not '{input.Layout}'.";
        var output = card.Outputs[0];
        if (classifier)
        {
            return output.Layout == "NC" ? null
                : $"a 'classification' model runs as a tile classifier, which needs an output of layout NC ([N, classes]), not '{output.Layout ?? "(none)"}'.";
        }
        if (output.Layout is not (null or "NCHW" or "NHWC" or "NC")) return $"the output layout must be NCHW, NHWC or NC, not '{output.Layout}'.";
        return null;
    }
}
