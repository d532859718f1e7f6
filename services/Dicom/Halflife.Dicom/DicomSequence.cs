namespace Halflife.Dicom;

/// <summary>An SQ element: an ordered list of item data sets.</summary>
public sealed class DicomSequence : DicomItem, IEnumerable<DicomDataset>
{
    public DicomSequence(DicomTag tag, params DicomDataset[] items) : base(tag)
    {
        Items = new List<DicomDataset>(items);
    }

    public DicomSequence(DicomTag tag, IEnumerable<DicomDataset> items) : base(tag)
    {
        Items = new List<DicomDataset>(items);
    }

    public override DicomVR ValueRepresentation => DicomVR.SQ;

    public IList<DicomDataset> Items { get; }

    public DicomDataset this[int index] => Items[index];

    public IEnumerator<DicomDataset> GetEnumerator() => Items.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
