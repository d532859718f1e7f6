using System.Buffers.Binary;
using System.IO.Compression;

namespace Halflife.Imaging.Codecs;

/// <summary>
/// Writes 8-bit PNGs: RGBA for slide thumbnails, labels and macros (where JPEG would lose the transparency or blur
/// label text), greyscale for rendered DICOM frames (where JPEG would blur counts into artefacts).
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>RGBA, no filtering: these images are small and the zlib pass dominates.</summary>
    public static byte[] Encode(Bgra32Image image, CompressionLevel level = CompressionLevel.Fastest)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Write(image.Width, image.Height, colourType: 6, Compress(image, level));
    }

    /// <summary>8-bit greyscale, row by row, with the "Up" filter: smooth medical images compress well with it.</summary>
    public static byte[] EncodeGrey8(int width, int height, ReadOnlySpan<byte> pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (pixels.Length != (long)width * height)
            throw new ArgumentException($"{pixels.Length} pixels do not make a {width}x{height} image.", nameof(pixels));
        return Write(width, height, colourType: 0, CompressGrey(width, height, pixels));
    }

    private static byte[] Write(int width, int height, byte colourType, byte[] idat)
    {
        using var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bit depth
        header[9] = colourType; // 0 greyscale, 6 truecolour with alpha
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method
        header[12] = 0; // no interlace
        WriteChunk(output, "IHDR"u8, header);

        WriteChunk(output, "IDAT"u8, idat);
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    private static byte[] CompressGrey(int width, int height, ReadOnlySpan<byte> pixels)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[width + 1];
            for (var y = 0; y < height; y++)
            {
                var current = pixels.Slice(y * width, width);
                row[0] = y == 0 ? (byte)0 : (byte)2; // filter None for the first row, Up after
                if (y == 0)
                    current.CopyTo(row.AsSpan(1));
                else
                {
                    var above = pixels.Slice((y - 1) * width, width);
                    for (var x = 0; x < width; x++)
                        row[x + 1] = unchecked((byte)(current[x] - above[x]));
                }
                zlib.Write(row);
            }
        }
        return compressed.ToArray();
    }

    private static byte[] Compress(Bgra32Image image, CompressionLevel level)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, level, leaveOpen: true))
        {
            var row = new byte[1 + image.Width * 4]; // leading byte: filter type 0 (None)
            for (var y = 0; y < image.Height; y++)
            {
                var source = image.Pixels.AsSpan(y * image.Stride, image.Stride);
                for (int i = 0, o = 1; i < source.Length; i += 4, o += 4)
                {
                    row[o] = source[i + 2];
                    row[o + 1] = source[i + 1];
                    row[o + 2] = source[i];
                    row[o + 3] = source[i + 3];
                }

                zlib.Write(row);
            }
        }

        return compressed.ToArray();
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        var crc = UpdateCrc(UpdateCrc(0xFFFFFFFFu, type), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }

    // CRC-32 as in the PNG specification, annex D (System.IO.Hashing is not available here).
    private static uint UpdateCrc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
