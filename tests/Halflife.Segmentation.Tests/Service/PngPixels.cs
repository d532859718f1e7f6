using System.Buffers.Binary;
using System.IO.Compression;

namespace Halflife.Segmentation.Tests.Service;

/// <summary>
/// Reads back the 8-bit RGBA PNGs the overlay serves (colour type 6, not interlaced), undoing all five row filters:
/// enough to look at overlay pixels without an image library.
/// </summary>
internal sealed record PngPixels(int Width, int Height, byte[] Rgba)
{
    public static PngPixels Decode(byte[] png)
    {
        Assert.True(png.Length > 8 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "not a PNG");
        int width = 0, height = 0;
        using var idat = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                Assert.Equal(6, data[9]);
                Assert.Equal(0, data[12]);
            }
            else if (type == "IDAT") idat.Write(data);
            at += 12 + length;
        }
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var bytes = raw.ToArray();
        var stride = width * 4;
        var rgba = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = bytes[y * (stride + 1)];
            for (var x = 0; x < stride; x++)
            {
                var value = bytes[y * (stride + 1) + 1 + x];
                int a = x >= 4 ? rgba[y * stride + x - 4] : 0, b = y > 0 ? rgba[(y - 1) * stride + x] : 0;
                int c = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4] : 0;
                rgba[y * stride + x] = (byte)(filter switch
                {
                    0 => value,
                    1 => value + a,
                    2 => value + b,
                    3 => value + ((a + b) >> 1),
                    4 => value + Paeth(a, b, c),
                    _ => throw new InvalidDataException($"PNG filter {filter}"),
                });
            }
        }
        return new PngPixels(width, height, rgba);
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    public int Alpha(int x, int y) => Rgba[(y * Width + x) * 4 + 3];

    public (byte R, byte G, byte B) Colour(int x, int y)
    {
        var i = (y * Width + x) * 4;
        return (Rgba[i], Rgba[i + 1], Rgba[i + 2]);
    }

    public int OpaquePixels => Enumerable.Range(0, Width * Height).Count(i => Rgba[i * 4 + 3] > 0);
}
