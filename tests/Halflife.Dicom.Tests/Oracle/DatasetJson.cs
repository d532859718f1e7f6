using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Halflife.Dicom.Tests.Oracle;

/// <summary>Our data set in the same JSON shape that pydicom_dump.py writes, so the two can be compared.</summary>
internal static class DatasetJson
{
    public static JsonArray Of(DicomDataset ds)
    {
        var array = new JsonArray();
        foreach (var item in ds) array.Add(Of(item, ds));
        return array;
    }

    private static JsonObject Of(DicomItem item, DicomDataset owner)
    {
        var o = new JsonObject { ["tag"] = $"{item.Tag.Group:X4}{item.Tag.Element:X4}", ["vr"] = item.ValueRepresentation.Code };
        o["value"] = item switch
        {
            DicomSequence s => new JsonArray(s.Items.Select(i => (JsonNode)Of(i)).ToArray()),
            DicomFragmentSequence f => Digest(EncodeFragments(f)),
            DicomElement e => ValueOf(e, owner),
            _ => throw new InvalidOperationException(item.GetType().Name),
        };
        return o;
    }

    private static JsonNode ValueOf(DicomElement e, DicomDataset owner)
    {
        var vr = e.ValueRepresentation;
        if (vr.IsString)
            return new JsonArray(owner.GetValues<string>(e.Tag).Select(s => (JsonNode)JsonValue.Create(s)).ToArray());
        if (vr == DicomVR.FL || vr == DicomVR.FD)
            return new JsonArray(owner.GetValues<double>(e.Tag)
                .Select(d => (JsonNode)JsonValue.Create(BitConverter.DoubleToInt64Bits(d))).ToArray());
        if (vr == DicomVR.AT)
            return new JsonArray(owner.GetValues<DicomTag>(e.Tag).Select(t => (JsonNode)JsonValue.Create(t.Value)).ToArray());
        if (vr.IsBinaryNumeric)
            return new JsonArray(owner.GetValues<decimal>(e.Tag).Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
        return Digest(e.Buffer.ToArray());
    }

    /// <summary>pydicom keeps encapsulated pixel data as the raw item stream up to the sequence delimiter.</summary>
    public static byte[] EncodeFragments(DicomFragmentSequence f)
    {
        using var ms = new MemoryStream();
        Span<byte> header = stackalloc byte[8];
        foreach (var part in new[] { f.BasicOffsetTable }.Concat(f.Fragments))
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header, 0xFFFE);
            BinaryPrimitives.WriteUInt16LittleEndian(header[2..], 0xE000);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)part.Length);
            ms.Write(header);
            ms.Write(part);
        }
        return ms.ToArray();
    }

    private static JsonObject Digest(byte[] bytes) =>
        new() { ["len"] = bytes.Length, ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)) };

    /// <summary>Differences between pydicom's view and ours, as readable paths; empty when they agree.</summary>
    public static List<string> Compare(JsonArray expected, JsonArray actual, string path = "")
    {
        var diffs = new List<string>();
        var exp = expected.Select(n => n!.AsObject()).ToDictionary(n => (string)n["tag"]!);
        var act = actual.Select(n => n!.AsObject()).ToDictionary(n => (string)n["tag"]!);
        foreach (var tag in exp.Keys.Union(act.Keys).Order(StringComparer.Ordinal))
        {
            var p = $"{path}/{tag}";
            if (!act.TryGetValue(tag, out var a)) { diffs.Add($"{p}: missing in ours (pydicom {exp[tag]["vr"]})"); continue; }
            if (!exp.TryGetValue(tag, out var e)) { diffs.Add($"{p}: extra in ours ({a["vr"]})"); continue; }
            if ((string)e["vr"]! != (string)a["vr"]!) diffs.Add($"{p}: VR pydicom {e["vr"]} ours {a["vr"]}");
            CompareValue(e["value"], a["value"], p, diffs);
        }
        return diffs;
    }

    private static void CompareValue(JsonNode? e, JsonNode? a, string p, List<string> diffs)
    {
        if (e is JsonArray ea && a is JsonArray aa)
        {
            if (ea.Count > 0 && ea[0] is JsonArray || aa.Count > 0 && aa[0] is JsonArray)
            {
                if (ea.Count != aa.Count) { diffs.Add($"{p}: {ea.Count} items in pydicom, {aa.Count} in ours"); return; }
                for (var i = 0; i < ea.Count; i++) diffs.AddRange(Compare(ea[i]!.AsArray(), aa[i]!.AsArray(), $"{p}[{i}]"));
                return;
            }
            var es = ea.Select(Normalize).ToList();
            var @as = aa.Select(Normalize).ToList();
            if (!es.SequenceEqual(@as))
                diffs.Add($"{p}: pydicom [{Show(es)}] ours [{Show(@as)}]");
            return;
        }
        if (e is JsonObject eo && a is JsonObject ao)
        {
            if ((int)eo["len"]! != (int)ao["len"]! || (string)eo["sha256"]! != (string)ao["sha256"]!)
                diffs.Add($"{p}: bytes differ (pydicom {eo["len"]} bytes, ours {ao["len"]} bytes)");
            return;
        }
        diffs.Add($"{p}: value shapes differ: pydicom {e?.ToJsonString()[..Math.Min(80, e.ToJsonString().Length)]} ours {a?.ToJsonString()[..Math.Min(80, a.ToJsonString().Length)]}");
    }

    private static string Normalize(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s)
        ? s.Trim(' ', '\0')
        : n?.ToJsonString() ?? "null";

    private static string Show(List<string> values)
    {
        var s = string.Join("|", values);
        return s.Length > 120 ? s[..120] + "..." : s;
    }
}
