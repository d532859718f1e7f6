using System.Buffers.Binary;

namespace Halflife.Dicom.Imaging;

/// <summary>
/// DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, then one PackBits segment per
/// byte plane (most significant byte of each sample first). Output is little endian, samples interleaved.
/// </summary>
internal static class RleDecoder
{
    public static byte[] DecodeFrame(ReadOnlySpan<byte> frame, int pixels, int samplesPerPixel, int bytesPerSample)
    {
        if (frame.Length < 64) throw new DicomCodecException($"RLE frame of {frame.Length} bytes is shorter than its 64-byte header.");
        var segments = (int)BinaryPrimitives.ReadUInt32LittleEndian(frame);
        var expected = samplesPerPixel * bytesPerSample;
        if (segments != expected || segments > 15)
            throw new DicomCodecException($"RLE frame has {segments} segments; {expected} expected for {samplesPerPixel} samples of {bytesPerSample} bytes.");

        var output = new byte[checked(pixels * expected)];
        var plane = new byte[pixels];
        for (var seg = 0; seg < segments; seg++)
        {
            var start = BinaryPrimitives.ReadUInt32LittleEndian(frame[(4 + seg * 4)..]);
            var end = seg + 1 < segments ? BinaryPrimitives.ReadUInt32LittleEndian(frame[(8 + seg * 4)..]) : (uint)frame.Length;
            if (start < 64 || start > end || end > frame.Length)
                throw new DicomCodecException($"RLE segment {seg} has offsets {start}..{end} outside the frame of {frame.Length} bytes.");
            UnpackBits(frame[(int)start..(int)end], plane, seg);

            var sample = seg / bytesPerSample;
            var byteInSample = bytesPerSample - 1 - seg % bytesPerSample; // segment 0 is the most significant byte
            var stride = expected;
            var offset = sample * bytesPerSample + byteInSample;
            for (var p = 0; p < pixels; p++) output[p * stride + offset] = plane[p];
        }
        return output;
    }

    private static void UnpackBits(ReadOnlySpan<byte> src, byte[] dst, int segment)
    {
        var o = 0;
        var i = 0;
        while (i < src.Length && o < dst.Length)
        {
            var n = (sbyte)src[i++];
            if (n >= 0)
            {
                var count = Math.Min(n + 1, Math.Min(src.Length - i, dst.Length - o));
                src.Slice(i, count).CopyTo(dst.AsSpan(o));
                i += n + 1;
                o += count;
            }
            else if (n != -128)
            {
                if (i >= src.Length) break;
                var count = Math.Min(-n + 1, dst.Length - o);
                dst.AsSpan(o, count).Fill(src[i++]);
                o += count;
            }
        }
        if (o < dst.Length)
            throw new DicomCodecException($"RLE segment {segment} decodes to {o} bytes; {dst.Length} expected.");
    }
}
