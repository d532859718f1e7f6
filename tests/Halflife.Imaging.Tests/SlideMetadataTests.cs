using System.Text.Json;
using Halflife.Imaging.Slides;

namespace Halflife.Imaging.Tests;

public sealed class SlideMetadataTests
{
    private const string MetadataScript = """
        import json, sys, openslide
        s = openslide.OpenSlide(sys.argv[1])
        print(json.dumps({
            "vendor": openslide.OpenSlide.detect_format(sys.argv[1]),
            "dimensions": s.level_dimensions,
            "downsamples": s.level_downsamples,
            "properties": dict(s.properties),
            "associated": {k: v.size for k, v in s.associated_images.items()},
            "best": [s.get_best_level_for_downsample(d) for d in (0.5, 1, 1.9, 2, 3.99, 4.5, 8, 100)],
        }))
        """;

    private static readonly double[] Downsamples = [0.5, 1, 1.9, 2, 3.99, 4.5, 8, 100];

    [Fact]
    public void Aperio_region_has_the_documented_metadata()
    {
        using var slide = WholeSlideImage.Open(TestData.RequireWsi("cmu-1-small-region.svs"));

        Assert.Equal("aperio", slide.Vendor);
        Assert.Equal(1, slide.LevelCount);
        Assert.Equal(new SlideSize(2220, 2967), slide.Dimensions);
        Assert.Equal(0.499, slide.Properties.MicronsPerPixelX!.Value, 3);
        Assert.Equal(0.499, slide.Properties.MicronsPerPixelY!.Value, 3);
        Assert.Equal(20, slide.Properties.Objective);
        Assert.Equal("aperio", slide.Properties.VendorName);
        Assert.StartsWith("Aperio Image Library", slide.Properties.CommentText);
        Assert.Null(slide.Properties.Bounds);
        Assert.Equal(["label", "macro", "thumbnail"], slide.AssociatedImageNames.Order());
    }

    [Theory]
    [InlineData("cmu-1-small-region.svs")]
    [InlineData("boxes.tiff")]
    [InlineData("small.svs")]
    public void Metadata_equals_what_openslide_python_reports(string file)
    {
        var path = TestData.RequireWsi(file);
        using var expected = JsonDocument.Parse(PythonOracle.Run(MetadataScript, path));
        var root = expected.RootElement;
        using var slide = WholeSlideImage.Open(path);

        Assert.Equal(root.GetProperty("vendor").GetString(), WholeSlideImage.DetectVendor(path));
        Assert.Equal(root.GetProperty("vendor").GetString(), slide.Vendor);
        var dimensions = root.GetProperty("dimensions").EnumerateArray()
            .Select(d => new SlideSize(d[0].GetInt64(), d[1].GetInt64())).ToArray();
        Assert.Equal(dimensions, slide.LevelDimensions);
        var downsamples = root.GetProperty("downsamples").EnumerateArray().Select(d => d.GetDouble()).ToArray();
        Assert.Equal(downsamples, slide.LevelDownsamples);

        var properties = root.GetProperty("properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Assert.Equal(properties.OrderBy(p => p.Key), slide.Properties.All.OrderBy(p => p.Key));

        var associated = root.GetProperty("associated").EnumerateObject()
            .ToDictionary(p => p.Name, p => new SlideSize(p.Value[0].GetInt64(), p.Value[1].GetInt64()));
        Assert.Equal(associated.Keys.Order(), slide.AssociatedImageNames.Order());
        foreach (var (name, size) in associated)
        {
            Assert.Equal(size, slide.GetAssociatedImageDimensions(name));
        }

        var best = root.GetProperty("best").EnumerateArray().Select(b => b.GetInt32()).ToArray();
        Assert.Equal(best, Downsamples.Select(slide.GetBestLevelForDownsample).ToArray());
    }

    [Fact]
    public void Generic_tiff_has_four_levels()
    {
        using var slide = WholeSlideImage.Open(TestData.RequireWsi("boxes.tiff"));

        Assert.Equal("generic-tiff", slide.Vendor);
        Assert.Equal(4, slide.LevelCount);
        Assert.Equal([new(300, 250), new(150, 125), new(75, 62), new(37, 31)], slide.LevelDimensions);
        Assert.Equal(2.0, slide.LevelDownsamples[1]);
        Assert.Null(slide.Properties.MicronsPerPixelX);
    }

    [Fact]
    public void Associated_images_and_regions_match_openslide_python_pixels()
    {
        const string script = """
            import sys, openslide
            s = openslide.OpenSlide(sys.argv[1])
            open(sys.argv[2], 'wb').write(s.associated_images['label'].tobytes())
            open(sys.argv[3], 'wb').write(s.read_region((1000, 1200), 0, (300, 200)).tobytes())
            """;
        var path = TestData.RequireWsi("cmu-1-small-region.svs");
        var labelFile = Path.GetTempFileName();
        var regionFile = Path.GetTempFileName();
        try
        {
            PythonOracle.Run(script, path, labelFile, regionFile);
            using var slide = WholeSlideImage.Open(path);

            var label = slide.ReadAssociatedImage("label");
            Assert.Equal(File.ReadAllBytes(labelFile), ToRgba(label));
            var region = slide.ReadRegion(1000, 1200, 0, 300, 200);
            Assert.Equal(File.ReadAllBytes(regionFile), ToRgba(region));
        }
        finally
        {
            File.Delete(labelFile);
            File.Delete(regionFile);
        }
    }

    [Fact]
    public void Region_outside_the_slide_is_transparent()
    {
        using var slide = WholeSlideImage.Open(TestData.RequireWsi("boxes.tiff"));

        var region = slide.ReadRegion(290, 240, 0, 20, 20);

        Assert.Equal(255, region.Pixels[3]); // top-left pixel (290, 240) is inside
        Assert.Equal(0, region.Pixels[^1]); // bottom-right (309, 259) is outside
    }

    [Fact]
    public void Oversized_or_invalid_reads_are_rejected_before_allocating()
    {
        using var slide = WholeSlideImage.Open(TestData.RequireWsi("boxes.tiff"));

        Assert.Throws<ArgumentOutOfRangeException>(() => slide.ReadRegion(0, 0, 0, 100_000, 100_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => slide.ReadRegion(0, 0, 4, 10, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => slide.ReadRegion(0, 0, 0, 0, 10));
        Assert.Throws<KeyNotFoundException>(() => slide.ReadAssociatedImage("label"));
        Assert.Throws<ArgumentOutOfRangeException>(() => slide.GetBestLevelForDownsample(double.NaN));
    }

    [Fact]
    public void Library_version_is_openslide_3_4()
    {
        NativeLibraries.Require();
        Assert.StartsWith("3.4", WholeSlideImage.LibraryVersion, StringComparison.Ordinal);
    }

    private static byte[] ToRgba(Bgra32Image image)
    {
        var rgba = (byte[])image.Pixels.Clone();
        for (var i = 0; i < rgba.Length; i += 4)
        {
            (rgba[i], rgba[i + 2]) = (rgba[i + 2], rgba[i]);
        }

        return rgba;
    }
}
