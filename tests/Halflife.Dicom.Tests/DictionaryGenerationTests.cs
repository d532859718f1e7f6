using Halflife.Dicom.Tests.Oracle;

namespace Halflife.Dicom.Tests;

/// <summary>The committed dictionary data is exactly what the generator makes from the PS3.6 registry source.</summary>
public class DictionaryGenerationTests
{
    [Fact]
    public void Committed_dictionary_matches_the_generator_output()
    {
        PydicomOracle.Require();
        var script = Path.Combine(TestData.RepositoryRoot, "services", "Dicom", "Halflife.Dicom", "Dictionary", "generate.py");
        var (code, _, stderr) = PydicomOracle.Run(PydicomOracle.Python, [script, "--check"], 120_000);
        Assert.True(code == 0, $"generate.py --check failed: {stderr}");
    }

    [Fact]
    public void Loaded_dictionary_agrees_with_the_standard_on_sample_rows()
    {
        var d = DicomDictionary.Default;
        Assert.Equal("US", d[DicomTag.Rows].ValueRepresentations[0].Code);
        Assert.Equal(["US", "SS"], d[DicomTag.SmallestImagePixelValue].ValueRepresentations.Select(v => v.Code));
        Assert.Equal("2-n", d[DicomTag.ImageType].ValueMultiplicity);
        Assert.True(d[new DicomTag(0x0008, 0x0040)].IsRetired); // Data Set Type, retired
        Assert.Equal("Private Creator", d[new DicomTag(0x0029, 0x0010)].Name);
        Assert.Equal("Unknown", d[new DicomTag(0x0029, 0x1010)].Name);
        Assert.Throws<FormatException>(() => DicomDictionary.Load(new StringReader("0010001\tPN\t1\tx\ty\t\n")));
    }
}
