using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Halflife.Dicom.Imaging;

namespace Halflife.Dicom.Tests.Oracle;

/// <summary>Decoded frames equal pydicom's numpy pixel_array, value for value, for every file pydicom decodes.</summary>
public class PixelDataOracleTests
{
    private static readonly Lazy<JsonObject> Pixels = new(() =>
    {
        var files = Directory.GetFiles(TestData.DicomFolder).Order(StringComparer.Ordinal);
        var script = Path.Combine(AppContext.BaseDirectory, "Oracle", "pydicom_pixels.py");
        var (code, stdout, stderr) = PydicomOracle.Run(PydicomOracle.Python, [script, .. files], 300_000);
        if (code != 0) throw new InvalidOperationException($"pydicom_pixels.py exited {code}: {stderr}");
        return JsonNode.Parse(stdout)!.AsObject();
    });

    [Theory]
    [MemberData(nameof(TestData.CorpusFiles), MemberType = typeof(TestData))]
    public void Frames_equal_pydicom_pixel_array(string name)
    {
        TestData.RequireCorpus();
        PydicomOracle.Require();
        var path = TestData.Dicom(name);
        var reference = Pixels.Value[path]!.AsObject();

        DicomPixelData pixels;
        try
        {
            var file = DicomFile.Open(path);
            if (!file.Dataset.Contains(DicomTag.PixelData) || !file.Dataset.Contains(DicomTag.Rows))
            {
                Assert.False((bool)reference["ok"]!, $"pydicom decodes {name}, which has no pixel module for us");
                return;
            }
            pixels = DicomPixelData.Create(file.Dataset);
        }
        catch (DicomFileException)
        {
            return; // refused files are the pydicom structure oracle's business
        }

        long[] values;
        try
        {
            values = Enumerable.Range(0, pixels.NumberOfFrames).SelectMany(pixels.GetFrameValues).ToArray();
        }
        catch (DicomCodecException ex)
        {
            Assert.StartsWith("cannot decode", ex.Message);
            // Native and RLE pixel data must decode unless its sample size is exotic and pydicom cannot either.
            Assert.True(pixels.TransferSyntax.IsEncapsulated && pixels.TransferSyntax != DicomTransferSyntax.RLELossless
                        || pixels.BitsAllocated is not (1 or 8 or 16 or 32) && !(bool)reference["ok"]!,
                $"{name}: pixel data must decode, got: {ex.Message}");
            return;
        }
        catch (DicomDataException ex)
        {
            Assert.False((bool)reference["ok"]!, $"pydicom decodes {name} but we say: {ex.Message}");
            return;
        }

        if (!(bool)reference["ok"]!)
        {
            // pydicom lacks a plugin or refuses: nothing to compare, but we must not have produced garbage sizes.
            Assert.Equal((long)pixels.SamplesPerFrame * pixels.NumberOfFrames, values.LongLength);
            return;
        }
        var expectedCount = reference["shape"]!.AsArray().Aggregate(1L, (a, d) => a * (long)d!);
        Assert.Equal(expectedCount, values.LongLength);
        var bytes = new byte[values.Length * 8];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        Assert.Equal((string)reference["sha256"]!, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [Fact]
    public void Jpeg_pixel_data_raises_a_clear_codec_error()
    {
        TestData.RequireCorpus();
        var pixels = DicomPixelData.Create(DicomFile.Open(TestData.Dicom("SC_rgb_jpeg_dcmtk.dcm")).Dataset);
        var ex = Assert.Throws<DicomCodecException>(() => pixels.GetFrame(0));
        Assert.Equal("cannot decode: JPEG Baseline (Process 1)", ex.Message);
    }
}
