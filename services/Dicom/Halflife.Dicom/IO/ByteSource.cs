using System.Buffers.Binary;

namespace Halflife.Dicom.IO;

/// <summary>
/// Buffered forward reader over a stream that knows its position (for error offsets) and, when the stream
/// can tell, how many bytes remain, so that a corrupt length is rejected before anything is allocated.
/// </summary>
internal sealed class ByteSource
{
    private const int ChunkSize = 1 << 20;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly long _end;
    private int _bufPos;
    private int _bufLen;
    private long _streamConsumed;
    private bool _eof;

    public ByteSource(Stream stream, long startOffset = 0)
    {
        _stream = stream;
        StartOffset = startOffset;
        _end = stream.CanSeek ? stream.Length - stream.Position : -1;
    }

    /// <summary>Offset reported for position 0 (e.g. where the deflated part began).</summary>
    public long StartOffset { get; }

    public long Position => StartOffset + _streamConsumed - (_bufLen - _bufPos);

    private long LocalPosition => _streamConsumed - (_bufLen - _bufPos);

    /// <summary>Bytes left, or null when the stream cannot say (network, inflater).</summary>
    public long? Remaining => _end < 0 ? null : _end - LocalPosition;

    public DicomFileException Error(string reason, long? offset = null) => new(reason, offset ?? Position);

    private bool Fill(int needed)
    {
        if (_bufLen - _bufPos >= needed) return true;
        if (_eof) return false;
        if (_bufPos > 0)
        {
            Array.Copy(_buffer, _bufPos, _buffer, 0, _bufLen - _bufPos);
            _bufLen -= _bufPos;
            _bufPos = 0;
        }
        while (_bufLen < needed)
        {
            var n = _stream.Read(_buffer, _bufLen, _buffer.Length - _bufLen);
            if (n == 0)
            {
                _eof = true;
                return false;
            }
            _bufLen += n;
            _streamConsumed += n;
        }
        return true;
    }

    public bool IsAtEnd => !Fill(1);

    /// <summary>Copies up to <paramref name="dst"/>.Length upcoming bytes without consuming them.</summary>
    public int Peek(Span<byte> dst)
    {
        Fill(dst.Length);
        var n = Math.Min(dst.Length, _bufLen - _bufPos);
        _buffer.AsSpan(_bufPos, n).CopyTo(dst);
        return n;
    }

    private ReadOnlySpan<byte> Take(int n)
    {
        if (!Fill(n)) throw Error($"unexpected end of data: needed {n} bytes, {_bufLen - _bufPos} left");
        var span = _buffer.AsSpan(_bufPos, n);
        _bufPos += n;
        return span;
    }

    public ushort ReadUInt16(bool bigEndian)
    {
        var s = Take(2);
        return bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);
    }

    public uint ReadUInt32(bool bigEndian)
    {
        var s = Take(4);
        return bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);
    }

    public (byte, byte) ReadTwoBytes()
    {
        var s = Take(2);
        return (s[0], s[1]);
    }

    public void Skip(long count)
    {
        while (count > 0)
        {
            var step = (int)Math.Min(count, _buffer.Length);
            Take(step);
            count -= step;
        }
    }

    /// <summary>
    /// Reads a value of a declared length. When the remaining length is unknown the buffer grows chunk by
    /// chunk, so a forged length can only make us allocate what the stream really delivers.
    /// </summary>
    public byte[] ReadBytes(long count, long maxLength)
    {
        var at = Position;
        if (count < 0 || count > maxLength || count > Array.MaxLength)
            throw Error($"value length {count} exceeds the limit of {Math.Min(maxLength, Array.MaxLength)} bytes", at);
        if (Remaining is { } rem && count > rem)
            throw Error($"value length {count} exceeds the {rem} bytes left in the stream", at);
        if (count == 0) return [];
        if (Remaining is not null || count <= ChunkSize)
        {
            var result = GC.AllocateUninitializedArray<byte>((int)count);
            ReadInto(result, at);
            return result;
        }
        using var ms = new MemoryStream();
        var chunk = new byte[ChunkSize];
        var left = count;
        while (left > 0)
        {
            var n = (int)Math.Min(left, ChunkSize);
            ReadInto(chunk.AsSpan(0, n), at);
            ms.Write(chunk, 0, n);
            left -= n;
        }
        return ms.ToArray();
    }

    private void ReadInto(Span<byte> dst, long at)
    {
        var inBuffer = Math.Min(dst.Length, _bufLen - _bufPos);
        _buffer.AsSpan(_bufPos, inBuffer).CopyTo(dst);
        _bufPos += inBuffer;
        var done = inBuffer;
        while (done < dst.Length)
        {
            var n = _stream.Read(dst[done..]);
            if (n == 0)
            {
                _eof = true;
                throw Error($"unexpected end of data inside a value of {dst.Length} bytes that starts at offset {at}");
            }
            done += n;
            _streamConsumed += n;
        }
    }

    /// <summary>The not yet consumed bytes followed by the rest of the stream, for handing over to an inflater.</summary>
    public Stream AsStream() => new RemainderStream(this);

    private sealed class RemainderStream(ByteSource source) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (source._bufPos < source._bufLen)
            {
                var n = Math.Min(buffer.Length, source._bufLen - source._bufPos);
                source._buffer.AsSpan(source._bufPos, n).CopyTo(buffer);
                source._bufPos += n;
                return n;
            }
            var read = source._stream.Read(buffer);
            source._streamConsumed += read;
            return read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
