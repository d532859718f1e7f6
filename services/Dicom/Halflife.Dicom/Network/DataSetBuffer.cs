namespace Halflife.Dicom.Network;

/// <summary>
/// Collects the fragments of one received data set. Small data sets stay in memory; beyond
/// <c>memoryLimit</c> the bytes spill to a temporary file (deleted on dispose), so a whole-slide image does not
/// have to fit in RAM. Beyond <c>maxLength</c> further bytes are counted but dropped and the store is answered with
/// Out of Resources instead of growing without bound.
/// </summary>
internal sealed class DataSetBuffer(long memoryLimit, long maxLength, string? spillDirectory) : IDisposable
{
    private Stream _stream = new MemoryStream();
    private bool _spilled;

    public long Length { get; private set; }
    public bool Overflowed { get; private set; }

    public void Append(ReadOnlySpan<byte> fragment)
    {
        if (Overflowed || Length + fragment.Length > maxLength)
        {
            Overflowed = true;
            Length += fragment.Length;
            return;
        }
        if (!_spilled && Length + fragment.Length > memoryLimit)
        {
            Spill();
        }
        _stream.Write(fragment);
        Length += fragment.Length;
    }

    /// <summary>The collected bytes, positioned at the start. Owned by this buffer.</summary>
    public Stream OpenRead()
    {
        _stream.Position = 0;
        return _stream;
    }

    private void Spill()
    {
        var path = Path.Combine(spillDirectory ?? Path.GetTempPath(), $"halflife-cstore-{Guid.NewGuid():N}.tmp");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose);
        _stream.Position = 0;
        _stream.CopyTo(file);
        _stream.Dispose();
        _stream = file;
        _spilled = true;
    }

    public void Dispose() => _stream.Dispose();
}
