using System.IO.Compression;
using System.Text;

namespace Halflife.Dicom.IO;

/// <summary>
/// Reads a Part 10 file (preamble, "DICM", file meta, data set) and also the bare data sets that older
/// systems wrote without meta information, guessing their encoding from the first element as pydicom does.
/// </summary>
internal static class DicomFileReader
{
    public static DicomFile Read(Stream stream, DicomReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var src = new ByteSource(stream, stream.CanSeek ? stream.Position : 0);
        try
        {
            return Read(src, options);
        }
        catch (Exception ex) when (ex is InvalidDataException or DecoderFallbackException)
        {
            throw src.Error($"the data could not be decoded: {ex.Message}");
        }
    }

    private static DicomFile Read(ByteSource src, DicomReadOptions options)
    {
        var file = new DicomFile();
        Span<byte> head = stackalloc byte[132];
        var n = src.Peek(head);
        if (n == 0) throw src.Error("the stream is empty");
        bool hasMeta;
        if (n == 132 && head[128..132].SequenceEqual("DICM"u8))
        {
            file.Preamble = head[..128].ToArray();
            src.Skip(132);
            hasMeta = true;
        }
        else
        {
            hasMeta = n >= 6 && head[0] == 0x02 && head[1] == 0x00;
        }

        if (hasMeta)
            new DicomDatasetReader(src, DicomTransferSyntax.ExplicitVRLittleEndian, true, false, options)
                .ReadFileMetaGroup(file.FileMetaInfo);

        DicomTransferSyntax syntax;
        bool explicitVR, bigEndian;
        if (file.FileMetaInfo.HasTransferSyntax && file.FileMetaInfo.GetString(DicomTag.TransferSyntaxUID).Length > 0)
        {
            syntax = file.FileMetaInfo.TransferSyntax;
            explicitVR = syntax.IsExplicitVR;
            bigEndian = syntax.Endian == Endian.Big;
        }
        else
        {
            (explicitVR, bigEndian) = Sniff(src, requirePlausibleStart: !hasMeta);
            syntax = explicitVR
                ? bigEndian ? DicomTransferSyntax.ExplicitVRBigEndian : DicomTransferSyntax.ExplicitVRLittleEndian
                : DicomTransferSyntax.ImplicitVRLittleEndian;
            file.FileMetaInfo.DetectedTransferSyntax = syntax;
        }

        var body = src;
        if (syntax.IsDeflate)
        {
            var inflated = new BoundedStream(new DeflateStream(src.AsStream(), CompressionMode.Decompress), options.MaxInflatedLength, src.Position);
            body = new ByteSource(inflated, src.Position);
        }
        else if (!body.IsAtEnd)
        {
            // Like pydicom: trust the bytes over the meta when the first element's VR says otherwise.
            Span<byte> first = stackalloc byte[6];
            if (body.Peek(first) == 6)
            {
                var looksExplicit = first[4] is >= 0x41 and <= 0x5A && first[5] is >= 0x41 and <= 0x5A;
                if (looksExplicit != explicitVR) explicitVR = looksExplicit;
            }
        }

        file.Dataset.InternalTransferSyntax = syntax;
        var reader = new DicomDatasetReader(body, syntax, explicitVR, bigEndian, options);
        reader.ReadDataset(file.Dataset);
        file.IsPartial = reader.StoppedEarly;
        return file;
    }

    /// <summary>Guesses explicit/implicit VR and byte order from the first data element.</summary>
    private static (bool ExplicitVR, bool BigEndian) Sniff(ByteSource src, bool requirePlausibleStart)
    {
        Span<byte> h = stackalloc byte[8];
        if (src.Peek(h) < 8)
        {
            if (src.IsAtEnd && !requirePlausibleStart) return (true, false);
            throw src.Error("too short to hold a DICOM data element");
        }
        var explicitVR = h[4] is >= 0x41 and <= 0x5A && h[5] is >= 0x41 and <= 0x5A && DicomVR.TryParse(h[4], h[5], out _);
        var groupLE = (ushort)(h[0] | (h[1] << 8));
        var bigEndian = explicitVR && groupLE >= 0x0400;
        if (requirePlausibleStart)
        {
            // A bare data set starts with a low group (command, meta, identifying); anything else is not DICOM.
            var group = bigEndian ? (ushort)((h[0] << 8) | h[1]) : groupLE;
            if (group > 0x0010 || (group & 1) == 1)
                throw src.Error($"no DICM prefix, and the data does not start like a DICOM data set (first group {group:X4})");
        }
        return (explicitVR, bigEndian);
    }

    /// <summary>Stops reading after a limit, so a deflate bomb fails instead of filling memory.</summary>
    private sealed class BoundedStream(Stream inner, long limit, long offset) : Stream
    {
        private long _read;

        public override int Read(byte[] buffer, int o, int count) => Read(buffer.AsSpan(o, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            _read += n;
            if (_read > limit)
                throw new DicomFileException($"the deflated data set inflates to more than {limit} bytes", offset);
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long o, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int o, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
