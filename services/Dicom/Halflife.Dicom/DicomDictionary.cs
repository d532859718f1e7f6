using System.Globalization;
using System.Reflection;

namespace Halflife.Dicom;

/// <summary>
/// The data dictionary of PS3.6, loaded from the embedded TSV that Dictionary/generate.py produces from the
/// standard's registry. Used to find the VR of implicit-VR elements and to name tags.
/// </summary>
public sealed class DicomDictionary
{
    private readonly Dictionary<uint, DicomDictionaryEntry> _exact = new();
    private readonly List<DicomDictionaryEntry> _masked = new();
    private readonly Dictionary<string, DicomDictionaryEntry> _byKeyword = new(StringComparer.Ordinal);

    private static readonly Lazy<DicomDictionary> LazyDefault = new(LoadEmbedded);

    public static DicomDictionary Default => LazyDefault.Value;

    public int Count => _exact.Count + _masked.Count;

    public DicomDictionaryEntry this[DicomTag tag] => TryGetEntry(tag, out var e) ? e : DicomDictionaryEntry.Unknown;

    public DicomDictionaryEntry? this[string keyword] => _byKeyword.GetValueOrDefault(keyword);

    public bool TryGetEntry(DicomTag tag, out DicomDictionaryEntry entry)
    {
        if (_exact.TryGetValue(tag.Value, out entry!)) return true;
        if (tag.IsPrivateCreator)
        {
            entry = DicomDictionaryEntry.PrivateCreator;
            return true;
        }
        // Group lengths (gggg,0000) are UL in every group (PS3.5 7.2).
        if (tag.Element == 0x0000)
        {
            entry = new DicomDictionaryEntry(tag, 0xFFFFFFFF, [DicomVR.UL], "1", "GenericGroupLength", "Group Length", true);
            return true;
        }
        foreach (var m in _masked)
        {
            if ((tag.Value & m.Mask) == m.Tag.Value)
            {
                entry = m;
                return true;
            }
        }
        entry = DicomDictionaryEntry.Unknown;
        return false;
    }

    public bool TryGetTag(string keyword, out DicomTag tag)
    {
        if (_byKeyword.TryGetValue(keyword, out var e) && e.Mask == 0xFFFFFFFF)
        {
            tag = e.Tag;
            return true;
        }
        tag = DicomDictionaryEntry.Unknown.Tag;
        return false;
    }

    public IEnumerable<DicomDictionaryEntry> Entries => _exact.Values.Concat(_masked);

    public static DicomDictionary Load(TextReader reader)
    {
        var dict = new DicomDictionary();
        string? line;
        var lineNo = 0;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (line.Length == 0 || line[0] == '#' || line.StartsWith("tag\t", StringComparison.Ordinal)) continue;
            var f = line.Split('\t');
            if (f.Length < 6 || f[0].Length != 8)
                throw new FormatException($"dictionary line {lineNo}: expected 6 tab-separated fields.");
            // 'x' marks a digit that any value matches: (60xx,3000) -> value 60003000, mask FF00FFFF.
            uint value = 0, mask = 0;
            foreach (var c in f[0])
            {
                value <<= 4;
                mask <<= 4;
                if (c is 'x' or 'X') continue;
                value |= uint.Parse(c.ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                mask |= 0xF;
            }
            var vrs = f[1] == "NONE" ? [DicomVR.NONE] : f[1].Split('|').Select(DicomVR.Parse).ToArray();
            var entry = new DicomDictionaryEntry(DicomTag.FromValue(value), mask, vrs, f[2], f[3], f[4], f[5] == "R");
            if (mask == 0xFFFFFFFF) dict._exact[value] = entry;
            else dict._masked.Add(entry);
            if (entry.Keyword.Length > 0) dict._byKeyword.TryAdd(entry.Keyword, entry);
        }
        return dict;
    }

    private static DicomDictionary LoadEmbedded()
    {
        using var stream = typeof(DicomDictionary).Assembly.GetManifestResourceStream("Halflife.Dicom.Dictionary.dicom-tags.tsv")
            ?? throw new InvalidOperationException("The embedded DICOM dictionary resource is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return Load(reader);
    }
}
