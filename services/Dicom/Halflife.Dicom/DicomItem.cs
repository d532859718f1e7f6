namespace Halflife.Dicom;

/// <summary>Anything a data set holds under a tag: an element, a sequence or encapsulated fragments.</summary>
public abstract class DicomItem : IComparable<DicomItem>
{
    protected DicomItem(DicomTag tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        Tag = tag;
    }

    public DicomTag Tag { get; }
    public abstract DicomVR ValueRepresentation { get; }

    public int CompareTo(DicomItem? other) => other is null ? 1 : Tag.CompareTo(other.Tag);

    public override string ToString() => $"{Tag} {ValueRepresentation} {Tag.DictionaryEntry.Name}";
}
