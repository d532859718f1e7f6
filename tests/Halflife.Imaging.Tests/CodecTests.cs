using Halflife.Imaging.Codecs;

namespace Halflife.Imaging.Tests;

public sealed class CodecTests
{
    private static Bgra32Image Gradient(int width, int height)
    {
        NativeLibraries.Require();
        var pixels = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 4;
                pixels[i] = (byte)(x * 255 / width);
                pixels[i + 1] = (byte)(y * 255 / height);
                pixels[i + 2] = 128;
                pixels[i + 3] = (byte)((x + y) % 256);
            }
        }

        return new Bgra32Image(width, height, pixels);
    }

    [Fact]
    public void Jpeg_round_trip_keeps_size_and_colour()
    {
        var image = Gradient(100, 60);

        var decoded = JpegCodec.Decode(JpegCodec.Encode(image, quality: 95));

        Assert.Equal((100, 60), (decoded.Width, decoded.Height));
        var (mean, _) = DeepZoomGeneratorTests.Difference(decoded.ToRgb(), image.ToRgb());
        Assert.True(mean < 2, $"mean difference {mean}");
        Assert.All(Enumerable.Range(0, 100 * 60), p => Assert.Equal(255, decoded.Pixels[(p * 4) + 3]));
    }

    [Fact]
    public void Garbage_is_not_a_jpeg()
    {
        NativeLibraries.Require();
        Assert.Throws<InvalidDataException>(() => JpegCodec.Decode([1, 2, 3, 4, 5]));
        Assert.Throws<InvalidDataException>(() => JpegCodec.Decode([]));
    }

    [Fact]
    public void Jpeg_quality_is_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => JpegCodec.Encode(Gradient(8, 8), quality: 0));
    }

    [Fact]
    public void Png_is_read_back_exactly_by_pillow()
    {
        const string script = """
            import sys
            from PIL import Image
            im = Image.open(sys.argv[1]); im.load()
            open(sys.argv[2], 'wb').write(im.tobytes())
            print(im.mode, im.size[0], im.size[1])
            """;
        var image = Gradient(37, 21);
        var png = Path.GetTempFileName();
        var raw = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(png, PngEncoder.Encode(image));
            var output = PythonOracle.Run(script, png, raw).Trim();

            Assert.Equal("RGBA 37 21", output);
            var rgba = File.ReadAllBytes(raw);
            for (var i = 0; i < rgba.Length; i += 4)
            {
                Assert.Equal((image.Pixels[i + 2], image.Pixels[i + 1], image.Pixels[i], image.Pixels[i + 3]), (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]));
            }
        }
        finally
        {
            File.Delete(png);
            File.Delete(raw);
        }
    }
}
