using Halflife.Dicom.Text;

namespace Halflife.Dicom;

/// <summary>A set of data elements, enumerated in ascending tag order as PS3.5 7.1 requires on the wire.</summary>
public partial class DicomDataset : IEnumerable<DicomItem>
{
    private readonly SortedDictionary<DicomTag, DicomItem> _items = new();
    private DicomCharacterSet? _characterSet;

    public DicomDataset() { }

    public DicomDataset(DicomTransferSyntax internalTransferSyntax) => InternalTransferSyntax = internalTransferSyntax;

    public DicomDataset(IEnumerable<DicomItem> items)
    {
        foreach (var item in items) AddOrUpdate(item);
    }

    /// <summary>The transfer syntax the data set was read in (or is meant to be written in).</summary>
    public DicomTransferSyntax InternalTransferSyntax { get; set; } = DicomTransferSyntax.ExplicitVRLittleEndian;

    /// <summary>
    /// Character set of an enclosing data set: a sequence item without its own (0008,0005) uses its parent's.
    /// </summary>
    public DicomCharacterSet? InheritedCharacterSet { get; set; }

    /// <summary>The character set that applies to this data set's text values.</summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            if (_items.TryGetValue(DicomTag.SpecificCharacterSet, out var item) && item is DicomElement e)
                return _characterSet ??= DicomCharacterSet.FromTerms(
                    DicomValueConverter.GetRawTextValues(e));
            return InheritedCharacterSet ?? DicomCharacterSet.Default;
        }
    }

    public int Count => _items.Count;

    public bool Contains(DicomTag tag) => _items.ContainsKey(tag);

    public DicomDataset Add(DicomItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (_items.ContainsKey(item.Tag))
            throw new DicomDataException($"{item.Tag} is already in the data set; use AddOrUpdate to replace it.");
        return Set(item);
    }

    public DicomDataset AddOrUpdate(DicomItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Set(item);
    }

    public DicomDataset Add<T>(DicomTag tag, params T[] values) =>
        Add(DicomValueConverter.CreateElement(tag, ChooseVR(tag, values), values));

    public DicomDataset AddOrUpdate<T>(DicomTag tag, params T[] values) =>
        AddOrUpdate(DicomValueConverter.CreateElement(tag, ChooseVR(tag, values), values));

    public DicomDataset Add<T>(DicomVR vr, DicomTag tag, params T[] values) =>
        Add(DicomValueConverter.CreateElement(tag, vr, values));

    public DicomDataset AddOrUpdate<T>(DicomVR vr, DicomTag tag, params T[] values) =>
        AddOrUpdate(DicomValueConverter.CreateElement(tag, vr, values));

    /// <summary>One string value: the common case, without params-array overload ambiguity.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, string value) => AddOrUpdate<string>(tag, value);

    public DicomDataset Add(DicomTag tag, string value) => Add<string>(tag, value);

    private DicomDataset Set(DicomItem item)
    {
        if (item.Tag == DicomTag.SpecificCharacterSet) _characterSet = null;
        if (item is DicomSequence seq)
            foreach (var child in seq.Items) child.InheritedCharacterSet ??= CharacterSet;
        _items[item.Tag] = item;
        return this;
    }

    /// <summary>Removes the tags that are present; absent ones are ignored.</summary>
    public DicomDataset Remove(params DicomTag[] tags)
    {
        foreach (var tag in tags)
        {
            if (tag == DicomTag.SpecificCharacterSet) _characterSet = null;
            _items.Remove(tag);
        }
        return this;
    }

    public void Clear()
    {
        _items.Clear();
        _characterSet = null;
    }

    private static DicomVR ChooseVR<T>(DicomTag tag, T[] values)
    {
        var vrs = DicomDictionary.Default[tag].ValueRepresentations;
        if (vrs.Count == 1) return vrs[0];
        // "US or SS", "OB or OW": let the .NET type decide.
        if (typeof(T) == typeof(short) || typeof(T) == typeof(int) && values.Cast<int>().Any(v => v < 0))
            if (vrs.Contains(DicomVR.SS)) return DicomVR.SS;
        if (typeof(T) == typeof(ushort) && vrs.Contains(DicomVR.OW) && !vrs.Contains(DicomVR.US)) return DicomVR.OW;
        if (typeof(T) == typeof(byte) && vrs.Contains(DicomVR.OB)) return DicomVR.OB;
        return vrs[0];
    }

    public T? GetDicomItem<T>(DicomTag tag) where T : DicomItem =>
        _items.TryGetValue(tag, out var item) ? item as T : null;

    public bool TryGetItem(DicomTag tag, out DicomItem item) => _items.TryGetValue(tag, out item!);

    private DicomElement GetElement(DicomTag tag)
    {
        if (!_items.TryGetValue(tag, out var item))
            throw new DicomDataException($"Tag {tag} {DicomDictionary.Default[tag].Name} not found in data set.");
        return item as DicomElement
            ?? throw new DicomDataException($"Tag {tag} is a {item.GetType().Name}, not an element with a value.");
    }

    /// <summary>The value as one string: text without trailing padding, numbers joined with '\'.</summary>
    public string GetString(DicomTag tag)
    {
        var e = GetElement(tag);
        if (e.ValueRepresentation.IsString) return DicomValueConverter.GetText(e, CharacterSet);
        if (e.ValueRepresentation.IsBinaryNumeric)
            return string.Join('\\', DicomValueConverter.GetValues<string>(e, CharacterSet));
        throw new DicomDataException($"Tag {tag} has VR {e.ValueRepresentation}, which has no string form.");
    }

    public bool TryGetString(DicomTag tag, out string value)
    {
        if (_items.TryGetValue(tag, out var item) && item is DicomElement e &&
            (e.ValueRepresentation.IsString || e.ValueRepresentation.IsBinaryNumeric))
        {
            value = GetString(tag);
            return true;
        }
        value = string.Empty;
        return false;
    }

    public T[] GetValues<T>(DicomTag tag) => DicomValueConverter.GetValues<T>(GetElement(tag), CharacterSet);

    public bool TryGetValues<T>(DicomTag tag, out T[] values)
    {
        values = [];
        if (!_items.TryGetValue(tag, out var item) || item is not DicomElement e) return false;
        try
        {
            values = DicomValueConverter.GetValues<T>(e, CharacterSet);
            return true;
        }
        catch (DicomDataException)
        {
            return false;
        }
    }

    public T GetValue<T>(DicomTag tag, int index)
    {
        var values = GetValues<T>(tag);
        if (index < 0 || index >= values.Length)
            throw new DicomDataException($"Tag {tag} has {values.Length} values; index {index} does not exist.");
        return values[index];
    }

    public T GetSingleValue<T>(DicomTag tag)
    {
        var values = GetValues<T>(tag);
        return values.Length == 1
            ? values[0]
            : throw new DicomDataException($"Tag {tag} has {values.Length} values where exactly one was expected.");
    }

    public T GetSingleValueOrDefault<T>(DicomTag tag, T defaultValue) =>
        TryGetValues<T>(tag, out var values) && values.Length == 1 ? values[0] : defaultValue;

    public T GetValueOrDefault<T>(DicomTag tag, int index, T defaultValue) =>
        TryGetValues<T>(tag, out var values) && index >= 0 && index < values.Length ? values[index] : defaultValue;

    public int GetValueCount(DicomTag tag) => DicomValueConverter.CountValues(GetElement(tag), CharacterSet);

    public DicomSequence GetSequence(DicomTag tag) =>
        _items.TryGetValue(tag, out var item) && item is DicomSequence s
            ? s
            : throw new DicomDataException($"Tag {tag} is not a sequence in this data set.");

    public bool TryGetSequence(DicomTag tag, out DicomSequence sequence)
    {
        var found = _items.TryGetValue(tag, out var item) && item is DicomSequence;
        sequence = found ? (DicomSequence)item! : null!;
        return found;
    }

    /// <summary>A deep copy of the structure; value buffers are shared because parsed buffers are never mutated.</summary>
    public DicomDataset Clone()
    {
        var copy = new DicomDataset(InternalTransferSyntax) { InheritedCharacterSet = InheritedCharacterSet };
        foreach (var item in _items.Values)
        {
            copy._items[item.Tag] = item switch
            {
                DicomSequence s => new DicomSequence(s.Tag, s.Items.Select(i => i.Clone())),
                DicomFragmentSequence f => new DicomFragmentSequence(f.Tag, f.ValueRepresentation, f.BasicOffsetTable, f.Fragments),
                _ => item,
            };
        }
        return copy;
    }

    public IEnumerator<DicomItem> GetEnumerator() => _items.Values.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
