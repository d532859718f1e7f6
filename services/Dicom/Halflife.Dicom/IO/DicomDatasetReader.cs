namespace Halflife.Dicom.IO;

/// <summary>
/// Parses data elements (PS3.5 7) from a <see cref="ByteSource"/> into a <see cref="DicomDataset"/>:
/// explicit or implicit VR, either byte order, defined and undefined lengths, nested sequences and
/// encapsulated pixel data. Every length is checked before it is trusted.
/// </summary>
internal sealed class DicomDatasetReader
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private readonly ByteSource _src;
    private readonly DicomReadOptions _options;
    private readonly DicomTransferSyntax _syntax;
    private bool _explicit;
    private bool _bigEndian;

    public DicomDatasetReader(ByteSource source, DicomTransferSyntax syntax, bool explicitVR, bool bigEndian, DicomReadOptions options)
    {
        _src = source;
        _syntax = syntax;
        _explicit = explicitVR;
        _bigEndian = bigEndian;
        _options = options;
    }

    /// <summary>True when reading ended at <see cref="DicomReadOptions.StopBeforeTag"/>.</summary>
    public bool StoppedEarly { get; private set; }

    public void ReadDataset(DicomDataset dataset) => ReadElements(dataset, end: -1, depth: 0, undefinedItem: false);

    /// <summary>Reads group 0002 elements; some writers put them in implicit VR, so each element is sniffed.</summary>
    public void ReadFileMetaGroup(DicomDataset meta)
    {
        Span<byte> head = stackalloc byte[6];
        while (_src.Peek(head) == 6 && head[0] == 0x02 && head[1] == 0x00)
        {
            var at = _src.Position;
            var tag = new DicomTag(_src.ReadUInt16(false), _src.ReadUInt16(false));
            _explicit = IsUpperLetter(head[4]) && IsUpperLetter(head[5]);
            ReadElement(meta, tag, at, depth: 0);
        }
    }

    private void ReadElements(DicomDataset ds, long end, int depth, bool undefinedItem)
    {
        while (true)
        {
            _options.CancellationToken.ThrowIfCancellationRequested();
            if (end >= 0)
            {
                if (_src.Position == end) return;
                if (_src.Position > end) throw _src.Error($"an element runs past the end of its item, which ends at offset {end}");
            }
            else if (_src.IsAtEnd)
            {
                if (undefinedItem) throw _src.Error("the data ended inside an item that has no Item Delimitation Item");
                return;
            }

            var at = _src.Position;
            var group = _src.ReadUInt16(_bigEndian);
            var element = _src.ReadUInt16(_bigEndian);
            if (group == 0xFFFE)
            {
                var length = _src.ReadUInt32(_bigEndian);
                if (element == 0xE00D && undefinedItem) return;
                throw _src.Error($"unexpected delimiter (FFFE,{element:X4}) with length {length} where a data element was expected", at);
            }
            var tag = new DicomTag(group, element);
            if (depth == 0 && _options.StopBeforeTag is { } stop && tag >= stop)
            {
                StoppedEarly = true;
                return;
            }
            ReadElement(ds, tag, at, depth);
        }
    }

    private static bool IsUpperLetter(byte b) => b is >= (byte)'A' and <= (byte)'Z';

    private void ReadElement(DicomDataset ds, DicomTag tag, long at, int depth)
    {
        DicomVR vr;
        uint length;
        var fromDictionary = false;
        if (_explicit)
        {
            var (a, b) = _src.ReadTwoBytes();
            if (!IsUpperLetter(a) || !IsUpperLetter(b))
            {
                // Some writers switch to implicit VR inside explicit files (pydicom tolerates it too):
                // the two "VR" bytes are then the low half of a 32-bit length.
                var high = _src.ReadUInt16(_bigEndian);
                length = _bigEndian ? ((uint)a << 24) | ((uint)b << 16) | high : ((uint)high << 16) | ((uint)b << 8) | a;
                vr = ImplicitVR(tag, ds);
                fromDictionary = true;
            }
            else
            {
                if (!DicomVR.TryParse(a, b, out vr))
                    throw _src.Error($"unknown VR '{(char)a}{(char)b}' for {tag}", at + 4);
                if (vr.Is32BitLength)
                {
                    _src.Skip(2);
                    length = _src.ReadUInt32(_bigEndian);
                }
                else
                {
                    length = _src.ReadUInt16(_bigEndian);
                }
            }
        }
        else
        {
            length = _src.ReadUInt32(_bigEndian);
            vr = ImplicitVR(tag, ds);
            fromDictionary = true;
        }

        if (length == UndefinedLength)
        {
            ReadUndefinedLength(ds, tag, vr, fromDictionary, at, depth);
            return;
        }
        if (vr == DicomVR.SQ)
        {
            ReadSequence(ds, tag, length, at, depth);
            return;
        }

        var value = _src.ReadBytes(length, _options.MaxValueLength);
        if (_bigEndian && !HoldsByteSamples(ds, tag)) SwapToLittleEndian(value, vr);
        ds.AddOrUpdate(new DicomElement(tag, vr, value));
    }

    private void ReadUndefinedLength(DicomDataset ds, DicomTag tag, DicomVR vr, bool fromDictionary, long at, int depth)
    {
        if (vr == DicomVR.SQ)
        {
            ReadSequence(ds, tag, UndefinedLength, at, depth);
            return;
        }
        if (tag == DicomTag.PixelData || (vr == DicomVR.OB || vr == DicomVR.OW) && !fromDictionary)
        {
            ReadFragments(ds, tag, vr == DicomVR.UN ? DicomVR.OB : vr, at, depth);
            return;
        }
        if (vr == DicomVR.UN || fromDictionary)
        {
            // PS3.5 6.2.2: UN with undefined length is a sequence encoded in implicit VR little endian.
            var (wasExplicit, wasBig) = (_explicit, _bigEndian);
            if (vr == DicomVR.UN) (_explicit, _bigEndian) = (false, false);
            try
            {
                ReadSequence(ds, tag, UndefinedLength, at, depth);
            }
            finally
            {
                (_explicit, _bigEndian) = (wasExplicit, wasBig);
            }
            return;
        }
        throw _src.Error($"{tag} has VR {vr}, which cannot have an undefined length", at);
    }

    private void ReadSequence(DicomDataset ds, DicomTag tag, uint length, long at, int depth)
    {
        if (depth >= _options.MaxNestingDepth)
            throw _src.Error($"sequences are nested deeper than {_options.MaxNestingDepth} levels", at);
        var end = length == UndefinedLength ? -1 : CheckedEnd(length, at);
        var seq = new DicomSequence(tag);
        var charset = ds.CharacterSet;
        while (end < 0 || _src.Position < end)
        {
            _options.CancellationToken.ThrowIfCancellationRequested();
            var itemAt = _src.Position;
            var group = _src.ReadUInt16(_bigEndian);
            var element = _src.ReadUInt16(_bigEndian);
            var itemLength = _src.ReadUInt32(_bigEndian);
            if (group == 0xFFFE && element == 0xE0DD) break;
            if (group != 0xFFFE || element != 0xE000)
                throw _src.Error($"expected an Item (FFFE,E000) in sequence {tag}, found ({group:X4},{element:X4})", itemAt);
            var item = new DicomDataset(_syntax) { InheritedCharacterSet = charset };
            if (itemLength == UndefinedLength) ReadElements(item, -1, depth + 1, undefinedItem: true);
            else ReadElements(item, CheckedEnd(itemLength, itemAt), depth + 1, undefinedItem: false);
            seq.Items.Add(item);
        }
        if (end >= 0 && _src.Position > end)
            throw _src.Error($"the items of sequence {tag} run past its end at offset {end}");
        ds.AddOrUpdate(seq);
    }

    private void ReadFragments(DicomDataset ds, DicomTag tag, DicomVR vr, long at, int depth)
    {
        byte[]? offsetTable = null;
        var fragments = new List<byte[]>();
        while (true)
        {
            _options.CancellationToken.ThrowIfCancellationRequested();
            // Tolerate a missing Sequence Delimitation Item at the very end of the file (seen in the wild).
            if (depth == 0 && _src.IsAtEnd && offsetTable is not null) break;
            var itemAt = _src.Position;
            var group = _src.ReadUInt16(_bigEndian);
            var element = _src.ReadUInt16(_bigEndian);
            var length = _src.ReadUInt32(_bigEndian);
            if (group == 0xFFFE && element == 0xE0DD) break;
            if (group != 0xFFFE || element != 0xE000)
                throw _src.Error($"expected a fragment Item (FFFE,E000) in encapsulated {tag}, found ({group:X4},{element:X4})", itemAt);
            if (length == UndefinedLength)
                throw _src.Error($"a fragment of {tag} has an undefined length", itemAt);
            var bytes = _src.ReadBytes(length, _options.MaxValueLength);
            if (offsetTable is null) offsetTable = bytes;
            else fragments.Add(bytes);
        }
        ds.AddOrUpdate(new DicomFragmentSequence(tag, vr, offsetTable ?? [], fragments));
    }

    private long CheckedEnd(uint length, long at)
    {
        if (_src.Remaining is { } rem && length > rem)
            throw _src.Error($"length {length} exceeds the {rem} bytes left in the stream", at);
        return _src.Position + length;
    }

    /// <summary>The VR an implicit-VR element has, from the dictionary and, where it is ambiguous, the data set.</summary>
    private static DicomVR ImplicitVR(DicomTag tag, DicomDataset ds)
    {
        if (tag.IsPrivate) return tag.IsPrivateCreator ? DicomVR.LO : DicomVR.UN;
        if (!DicomDictionary.Default.TryGetEntry(tag, out var entry)) return DicomVR.UN;
        var vrs = entry.ValueRepresentations;
        if (vrs[0] == DicomVR.NONE) return DicomVR.UN;
        if (vrs.Count == 1) return vrs[0];
        if (vrs.Contains(DicomVR.OW)) return DicomVR.OW; // PS3.5 A.1: implicit VR pixel data is OW
        if (vrs.Contains(DicomVR.SS))
        {
            // US or SS follows (0028,0103) Pixel Representation: 1 means signed.
            return ds.TryGetValues<ushort>(DicomTag.PixelRepresentation, out var pr) && pr.Length > 0 && pr[0] == 1
                ? DicomVR.SS
                : DicomVR.US;
        }
        return vrs[0];
    }

    /// <summary>
    /// 8-bit pixel samples in OW are kept in file order in big endian files too: that is how pydicom and
    /// the files in the wild treat them, so swapping words would scramble the samples.
    /// </summary>
    internal static bool HoldsByteSamples(DicomDataset ds, DicomTag tag) =>
        tag == DicomTag.PixelData && ds.TryGetValues<ushort>(DicomTag.BitsAllocated, out var bits) && bits.Length == 1 && bits[0] <= 8;

    /// <summary>Stores binary values little endian whatever the wire order was; OB and UN are bytes and stay as they are.</summary>
    private static void SwapToLittleEndian(byte[] value, DicomVR vr)
    {
        var unit = vr == DicomVR.AT ? 2 : vr.IsString ? 1 : vr.UnitSize;
        ByteOrder.Swap(value, unit);
    }
}
