using System.Text.Json.Nodes;
using Halflife.Dicom.Tests.Oracle;

namespace Halflife.Dicom.Tests;

/// <summary>Every corpus file read by us must match what pydicom reads, element for element.</summary>
public class PydicomOracleTests
{
    /// <summary>
    /// Corrupt files that pydicom (in its lenient default mode) reads only partly or into garbage, and that we
    /// refuse with a DicomFileException instead: a truncated file must not look like a complete one.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> RefusedCorruptFiles = new Dictionary<string, string>
    {
        ["MR_truncated.dcm"] = "ends inside Pixel Data; pydicom keeps the partial value",
        ["rtplan_truncated.dcm"] = "ends inside a sequence; pydicom drops the rest silently",
        ["GH626.dcm"] = "a private sequence holds explicit-VR items in an implicit file; pydicom stops there and loses Pixel Data",
        ["no_meta.dcm"] = "starts with a stray byte before (0008,0005); pydicom reads the whole file as one UN element",
    };

    /// <summary>Files pydicom cannot read that DCMTK reads completely: there we side with DCMTK.</summary>
    public static readonly IReadOnlyDictionary<string, string> ReadableDespitePydicom = new Dictionary<string, string>
    {
        ["GH177_D_CLUNIE_CT1_IVRLE_BigEndian_undefined_length.dcm"] =
            "UN with undefined length in a big endian file: PS3.5 6.2.2 says its items are implicit VR little endian, as DCMTK reads them",
    };

    /// <summary>
    /// Encapsulated Pixel Data that ends at the end of the file without its Sequence Delimitation Item: pydicom
    /// drops the whole element, we keep the complete fragments (as fo-dicom does since its issue 1339).
    /// </summary>
    public static readonly IReadOnlySet<string> KeepsPixelDataWithoutDelimiter = new HashSet<string>
    {
        "GH1339.dcm",
        "emri_small_jpeg_2k_lossless_too_short.dcm",
    };

    [Theory]
    [MemberData(nameof(TestData.CorpusFiles), MemberType = typeof(TestData))]
    public void ElementsEqualPydicom(string name)
    {
        TestData.RequireCorpus();
        PydicomOracle.Require();
        var path = TestData.Dicom(name);
        var reference = PydicomOracle.Read(path);

        DicomFile ours;
        try
        {
            ours = DicomFile.Open(path);
        }
        catch (DicomFileException ex)
        {
            Assert.True(!(bool)reference["ok"]! || RefusedCorruptFiles.ContainsKey(name),
                $"We refuse {name} ({ex.Message}) but pydicom reads it.");
            return;
        }

        if (!(bool)reference["ok"]!)
        {
            Assert.True(ReadableDespitePydicom.ContainsKey(name),
                $"pydicom rejects {name} ({reference["error"]}) but we read it.");
            return;
        }
        Assert.False(RefusedCorruptFiles.ContainsKey(name), $"{name} is listed as refused but we read it.");

        var diffs = DatasetJson.Compare((JsonArray)reference["meta"]!, DatasetJson.Of(ours.FileMetaInfo), "meta");
        var dataset = ours.Dataset;
        if (KeepsPixelDataWithoutDelimiter.Contains(name))
        {
            Assert.IsType<DicomFragmentSequence>(dataset.GetDicomItem<DicomItem>(DicomTag.PixelData));
            dataset = dataset.Clone().Remove(DicomTag.PixelData);
        }
        diffs.AddRange(DatasetJson.Compare((JsonArray)reference["dataset"]!, DatasetJson.Of(dataset)));
        Assert.True(diffs.Count == 0, $"{name}: {diffs.Count} differences:\n" + string.Join("\n", diffs.Take(30)));
    }
}
