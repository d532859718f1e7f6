using System.Globalization;
using System.Text.Json;

namespace Halflife.Segmentation.Overlay;

/// <summary>A foreground class as the API and the overlay show it: output channel, name, colour (#rrggbb).</summary>
public sealed record OverlayClass(int Index, string Name, string Color)
{
    // Distinct, colour-blind-aware colours (Trubetskoy's list), in the order classes get them.
    private static readonly string[] Palette =
        ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45", "#fabed4", "#469990", "#dcbeff", "#9a6324"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The classes worth drawing: every output channel except background. Background is channel 0 of a softmax
    /// output (the card schema's convention) or any class literally named "background".
    /// </summary>
    public static IReadOnlyList<OverlayClass> Foreground(IReadOnlyList<string> classes, bool softmax)
    {
        var result = new List<OverlayClass>();
        for (var i = 0; i < classes.Count; i++)
        {
            if ((softmax && i == 0) || string.Equals(classes[i], "background", StringComparison.OrdinalIgnoreCase)) continue;
            result.Add(new OverlayClass(i, classes[i], Palette[result.Count % Palette.Length]));
        }
        return result;
    }

    public static string ToJson(IReadOnlyList<OverlayClass> classes) => JsonSerializer.Serialize(classes, Json);

    public static IReadOnlyList<OverlayClass> FromJson(string json) => JsonSerializer.Deserialize<List<OverlayClass>>(json, Json) ?? [];

    public (byte R, byte G, byte B) Rgb => (
        byte.Parse(Color.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        byte.Parse(Color.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        byte.Parse(Color.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
}
