namespace Halflife.Dicom;

/// <summary>One registry row of PS3.6: a tag (or a tag pattern such as (60xx,3000)) and how its value looks.</summary>
public sealed class DicomDictionaryEntry
{
    public DicomDictionaryEntry(DicomTag tag, uint mask, DicomVR[] valueRepresentations, string valueMultiplicity,
        string keyword, string name, bool isRetired)
    {
        Tag = tag;
        Mask = mask;
        ValueRepresentations = valueRepresentations;
        ValueMultiplicity = valueMultiplicity;
        Keyword = keyword;
        Name = name;
        IsRetired = isRetired;
    }

    public DicomTag Tag { get; }

    /// <summary>Bits of the tag that must match; 0xFFFFFFFF except for repeating groups such as (60xx,3000).</summary>
    public uint Mask { get; }

    /// <summary>One VR, or several where the standard leaves it to context (e.g. "US or SS").</summary>
    public IReadOnlyList<DicomVR> ValueRepresentations { get; }
    public string ValueMultiplicity { get; }
    public string Keyword { get; }
    public string Name { get; }
    public bool IsRetired { get; }

    public static readonly DicomDictionaryEntry Unknown =
        new(new DicomTag(0xFFFF, 0xFFFF), 0xFFFFFFFF, [DicomVR.UN], "1", "", "Unknown", false);

    public static readonly DicomDictionaryEntry PrivateCreator =
        new(new DicomTag(0x0009, 0x0010), 0x0001FF00, [DicomVR.LO], "1", "PrivateCreator", "Private Creator", false);

    public override string ToString() => $"{Tag} {Name}";
}
