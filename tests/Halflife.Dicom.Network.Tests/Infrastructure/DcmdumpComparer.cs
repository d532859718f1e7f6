using System.Text.RegularExpressions;

namespace Halflife.Dicom.Network.Tests.Infrastructure;

/// <summary>
/// Compares two DICOM files by what dcmdump reads from them, so that a transfer syntax conversion done by the sender
/// (explicit to implicit, little to big endian) is accounted for: the attribute values must agree, the encoding may not.
/// </summary>
internal static partial class DcmdumpComparer
{
    public static async Task<List<string>> DifferencesAsync(string dcmdump, string expectedFile, string actualFile)
    {
        var expected = await DumpAsync(dcmdump, expectedFile);
        var actual = await DumpAsync(dcmdump, actualFile);
        var differences = new List<string>();
        foreach (var (tag, value) in expected)
        {
            if (!actual.TryGetValue(tag, out var other))
            {
                differences.Add($"{tag} missing (expected {value})");
            }
            else if (!SameValue(value, other))
            {
                differences.Add($"{tag}: expected {value}, got {other}");
            }
        }
        differences.AddRange(actual.Keys.Except(expected.Keys).Select(tag => $"{tag} unexpected ({actual[tag]})"));
        return differences;
    }

    private static async Task<Dictionary<string, string>> DumpAsync(string dcmdump, string file)
    {
        var result = await ExternalProcess.RunAsync(dcmdump, ["+L", "-q", "+Ep", file], TimeSpan.FromSeconds(60));
        var map = new Dictionary<string, string>();
        var depth = new List<string>();
        var seen = new Dictionary<string, int>();
        foreach (var raw in result.Output.Split('\n'))
        {
            var match = Line().Match(raw);
            if (!match.Success)
            {
                continue;
            }
            var indent = match.Groups["indent"].Value.Length / 2;
            var tag = match.Groups["tag"].Value.ToLowerInvariant();
            var vr = match.Groups["vr"].Value;
            var value = match.Groups["value"].Value.Trim();
            while (depth.Count > indent)
            {
                depth.RemoveAt(depth.Count - 1);
            }
            var path = string.Join("/", depth.Append(tag));
            var occurrence = seen[path] = seen.GetValueOrDefault(path) + 1;
            depth.Add(occurrence == 1 ? tag : $"{tag}#{occurrence}");
            var key = string.Join("/", depth);
            // Group lengths and the file meta are rewritten by every sender. Private attributes lose their VR under
            // implicit VR (dcmdump then shows raw bytes or cannot descend), so they and unknown-VR values are left out.
            if (tag.StartsWith("(0002,") || tag.EndsWith(",0000)") || tag is "(fffe,e0dd)" or "(fffe,e00d)" or "(fffc,fffc)"
                || vr is "UN" or "??" || key.Split('/').Any(IsPrivate))
            {
                continue;
            }
            map[key] = value;
        }
        return map;
    }

    /// <summary>
    /// Equal after what a sender may legitimately change: sequence/item length encoding (defined vs undefined),
    /// OB vs OW display of the same bytes (implicit VR reads pixel data as OW), and US vs SS for the attributes whose
    /// VR depends on Pixel Representation (an implicit VR reader cannot know it).
    /// </summary>
    private static bool SameValue(string expected, string actual)
    {
        if (expected == actual)
        {
            return true;
        }
        if (LengthKind().Replace(expected, "") == LengthKind().Replace(actual, ""))
        {
            return true;
        }
        if (int.TryParse(expected, out var a) && int.TryParse(actual, out var b))
        {
            return (a - b) % 65536 == 0;
        }
        return HexBytes(expected) is { } x && HexBytes(actual) is { } y && x == y;
    }

    /// <summary>dcmdump's hex display as a byte string: OB shows bytes ("7f\bf"), OW shows little-endian words ("bf7f").</summary>
    private static string? HexBytes(string value)
    {
        var tokens = value.Split('\\');
        if (!tokens.All(t => t.Length is 2 or 4 && t.All(Uri.IsHexDigit)))
        {
            return null;
        }
        var bytes = new System.Text.StringBuilder();
        foreach (var token in tokens)
        {
            bytes.Append(token.Length == 2 ? token : token[2..] + token[..2]);
        }
        return bytes.ToString();
    }

    [GeneratedRegex(@"with (undefined|explicit) length ")]
    private static partial Regex LengthKind();

    private static bool IsPrivate(string key) => Convert.ToInt32(key.Substring(1, 4), 16) % 2 == 1;

    [GeneratedRegex(@"^(?<indent>\s*)(?<tag>\([0-9a-fA-F]{4},[0-9a-fA-F]{4}\))\s+(?<vr>\S\S)\s(?<value>.*?)\s+#\s")]
    private static partial Regex Line();
}
