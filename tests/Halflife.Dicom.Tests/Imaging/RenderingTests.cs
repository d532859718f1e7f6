using Halflife.Dicom.Imaging;
using Halflife.Imaging.Codecs;
using Halflife.Dicom.Tests.Oracle;

namespace Halflife.Dicom.Tests.Rendering;

/// <summary>
/// The viewer's pictures: our PNG is decoded by Pillow and our windowed frames equal a window computed with numpy on
/// pydicom's pixel array, on real files of the corpus.
/// </summary>
public sealed class RenderingTests
{
    private static string Script => Path.Combine(AppContext.BaseDirectory, "Imaging", "render_oracle.py");

    [Fact]
    public void Png_decodes_in_pillow_to_the_same_pixels()
    {
        PydicomOracle.Require();
        var random = new Random(7);
        var pixels = new byte[37 * 23];
        random.NextBytes(pixels);
        var path = Path.Combine(Path.GetTempPath(), $"halflife-render-{Guid.NewGuid():N}.png");
        try
        {
            File.WriteAllBytes(path, PngEncoder.EncodeGrey8(37, 23, pixels));
            var (code, stdout, stderr) = PydicomOracle.Run(PydicomOracle.Python, [Script, "png", path], 60_000);
            Assert.True(code == 0, stderr);
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("L 37 23", lines[0]);
            Assert.Equal(Convert.ToHexStringLower(pixels), lines[1]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("poumonsReins.dcm", 0, 40.0, 60.0)]
    [InlineData("poumonsReins.dcm", 1, 100.0, 150.0)]
    [InlineData("CT_small.dcm", 0, 40.0, 400.0)]
    [InlineData("CR-MONO1-10-chest", 0, 512.0, 700.0)]
    public void Windowed_frame_equals_numpy_on_pydicoms_pixels(string file, int frame, double center, double width)
    {
        TestData.RequireCorpus();
        PydicomOracle.Require();
        var path = TestData.Dicom(file);
        var image = DicomImageRenderer.Render(DicomFile.Open(path).Dataset, frame, WindowLevel.Create(center, width));

        var (code, stdout, stderr) = PydicomOracle.Run(PydicomOracle.Python,
            [Script, "window", path, frame.ToString(), center.ToString("R"), width.ToString("R")], 60_000);
        Assert.True(code == 0, stderr);
        var expected = Convert.FromHexString(stdout.Trim());
        Assert.Equal(expected.Length, image.Pixels.Length);
        var differing = expected.Zip(image.Pixels).Count(p => Math.Abs(p.First - p.Second) > 1);
        Assert.Equal(0, differing);
        Assert.Contains(image.Pixels, p => p is > 0 and < 255); // the window really spreads values, not just clips them
    }

    [Fact]
    public void Default_window_ignores_a_few_hot_pixels()
    {
        // A hot bladder or a marker must not set the scale: 1 % of very hot pixels leave the body's range visible.
        var values = new double[10_000];
        for (var i = 0; i < values.Length; i++) values[i] = i % 100;
        for (var i = 0; i < 40; i++) values[i * 250] = 100_000;
        var window = DicomImageRenderer.RobustWindow(values);
        Assert.InRange(window.Width, 90, 110);
        Assert.InRange(window.Center, 40, 60);
    }

    [Fact]
    public void Image_info_reads_the_nm_views_and_the_value_range()
    {
        TestData.RequireCorpus();
        var info = ImageInfo.Read(DicomFile.Open(TestData.Dicom("poumonsReins.dcm")).Dataset);
        Assert.Equal((256, 256, 2), (info.Width, info.Height, info.Frames));
        Assert.Equal(2, info.FrameLabels.Count);
        Assert.Equal("NM", info.Modality);
        Assert.True(info.Maximum > info.Minimum);
        Assert.InRange(info.DefaultWindow.Width, 1, info.Maximum - info.Minimum + 1);
    }

    [Fact]
    public void Monochrome1_is_inverted()
    {
        TestData.RequireCorpus();
        var dataset = DicomFile.Open(TestData.Dicom("CR-MONO1-10-chest")).Dataset;
        var window = WindowLevel.Create(512, 1024);
        var image = DicomImageRenderer.Render(dataset, 0, window);
        var values = DicomImageRenderer.RescaledFrame(dataset, DicomPixelData.Create(dataset), 0);
        var darkest = Array.IndexOf(values, values.Min());
        Assert.True(image.Pixels[darkest] > 200, "the lowest value of a MONOCHROME1 image is shown white");
    }

    [Fact]
    public void Bad_requests_get_clear_errors()
    {
        TestData.RequireCorpus();
        var nm = DicomFile.Open(TestData.Dicom("poumonsReins.dcm")).Dataset;
        Assert.Contains("Frame 2 does not exist", Assert.Throws<DicomDataException>(() => DicomImageRenderer.Render(nm, 2)).Message);
        Assert.Throws<DicomDataException>(() => DicomImageRenderer.Render(nm, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => WindowLevel.Create(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => WindowLevel.Create(double.NaN, 10));

        var rgb = DicomFile.Open(TestData.Dicom("SC_rgb_rle_16bit_2frame.dcm")).Dataset;
        Assert.Contains("monochrome", Assert.Throws<DicomDataException>(() => DicomImageRenderer.Render(rgb, 0)).Message);

        var jpeg = DicomFile.Open(TestData.Dicom("GH184.dcm")).Dataset;
        Assert.Contains("cannot decode", Assert.Throws<DicomCodecException>(() => DicomImageRenderer.Render(jpeg, 0)).Message);
    }
}
