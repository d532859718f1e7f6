namespace Halflife.Dicom;

/// <summary>
/// Encapsulated pixel data (PS3.5 A.4): a basic offset table item followed by fragments. Fragments are kept
/// as read, byte for byte, so a file can be passed on without touching compressed frames.
/// </summary>
public sealed class DicomFragmentSequence : DicomItem
{
    private readonly DicomVR _vr;

    public DicomFragmentSequence(DicomTag tag, DicomVR vr, byte[] basicOffsetTable, IEnumerable<byte[]> fragments)
        : base(tag)
    {
        _vr = vr;
        BasicOffsetTable = basicOffsetTable;
        Fragments = new List<byte[]>(fragments);
    }

    public DicomFragmentSequence(DicomTag tag, DicomVR vr) : this(tag, vr, [], []) { }

    public override DicomVR ValueRepresentation => _vr;

    /// <summary>The raw value of the first item: little endian 32-bit offsets of each frame's first fragment.</summary>
    public byte[] BasicOffsetTable { get; set; }

    public IList<byte[]> Fragments { get; }

    public IReadOnlyList<uint> OffsetTable
    {
        get
        {
            var n = BasicOffsetTable.Length / 4;
            var offsets = new uint[n];
            for (var i = 0; i < n; i++)
                offsets[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(BasicOffsetTable.AsSpan(i * 4));
            return offsets;
        }
    }
}
