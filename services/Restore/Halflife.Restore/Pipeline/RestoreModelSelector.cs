using Halflife.Contracts;

namespace Halflife.Restore.Pipeline;

/// <summary>The model chosen for one scan and why (logged, and a tag on the restore span).</summary>
public sealed record RestoreModelChoice(string ModelName, string Mode, string Reason);

/// <summary>
/// Chooses the model for a scan. The 2 h -> 4 h model (bone-restore) also lowers the soft-tissue background, which is
/// right only for an early bone scan: on a scan that is already late, or on any other NM study, it changes the
/// picture itself. So in <see cref="RestoreModes.Auto"/> it is chosen only with positive evidence of an early bone
/// scan: a time since injection in [EarlyScanMinHours, LateScanHours) and a bone agent (or, when no agent is named,
/// a description that says bone scan). Everything else, unknown timing included, gets the count model, which only
/// removes noise and is safe on any count image.
/// </summary>
public static class RestoreModelSelector
{
    // Tc-99m bisphosphonates (MDP medronate, HDP/HMDP oxidronate, DPD) and F-18 fluoride, in the spellings vendors use.
    private static readonly string[] BoneAgents = ["MDP", "HDP", "HMDP", "DPD", "MEDRON", "OXIDRON", "DIPHOSPHON", "BISPHOSPHON", "FLUORIDE", "NAF"];
    // Series/study descriptions of bone scans in English, French, German and Spanish, and the usual abbreviations.
    private static readonly string[] BoneScanWords = ["BONE", "SKELET", "SQUELET", " OSSEU", "KNOCHEN", " OSEA", " OSEO", "WHOLE BODY", "WHOLEBODY", "CORPS ENTIER", "WB "];

    public static RestoreModelChoice Choose(RestoreOptions options, StudyContext? context)
    {
        var mode = options.Mode.Trim().ToLowerInvariant();
        switch (mode)
        {
            case RestoreModes.EarlyToStandard:
                return new(options.ModelName, mode, "Restore:Mode is early-to-standard");
            case RestoreModes.Counts:
                return new(options.CountsModelName, mode, "Restore:Mode is counts");
            case RestoreModes.Auto:
                break;
            default:
                throw new InvalidOperationException($"Restore:Mode '{options.Mode}' is not one of {string.Join(", ", RestoreModes.All)}.");
        }

        var elapsed = ScanTiming.SinceInjection(context);
        if (elapsed is null)
            return new(options.CountsModelName, RestoreModes.Counts, "time since injection unknown");
        var hours = elapsed.Value.TotalHours;
        var at = $"{hours:0.0} h after injection";
        if (hours >= options.LateScanHours)
            return new(options.CountsModelName, RestoreModes.Counts, $"late scan ({at})");
        if (hours < options.EarlyScanMinHours)
            return new(options.CountsModelName, RestoreModes.Counts, $"not a 2 h bone-scan phase ({at})");
        if (!IsBoneScan(context!))
            return new(options.CountsModelName, RestoreModes.Counts, $"not recognisably a bone scan ({at})");
        return new(options.ModelName, RestoreModes.EarlyToStandard, $"early bone scan ({at})");
    }

    /// <summary>A bone agent named in Radiopharmaceutical; only when none is named, a bone-scan description.</summary>
    public static bool IsBoneScan(StudyContext context)
    {
        if (!string.IsNullOrWhiteSpace(context.Radiopharmaceutical))
            return Mentions(context.Radiopharmaceutical, BoneAgents);
        return Mentions(context.SeriesDescription, BoneScanWords) || Mentions(context.StudyDescription, BoneScanWords);
    }

    private static bool Mentions(string? text, string[] words)
    {
        if (string.IsNullOrWhiteSpace(text)) return false;
        var upper = " " + text.ToUpperInvariant().Replace('_', ' ').Replace('-', ' ') + " ";
        return words.Any(w => upper.Contains(w, StringComparison.Ordinal));
    }
}
