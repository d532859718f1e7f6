using Halflife.Dicom;
using Halflife.Dicom.Imaging;
using Halflife.Restore.Pipeline;
using Halflife.Testing;

namespace Halflife.Restore.Tests;

/// <summary>The model on a real NM acquisition (two 256x256 views, 16-bit) and the derived object it yields.</summary>
public sealed class RealNmRestorationTests(ModelFixture fixture) : IClassFixture<ModelFixture>, IDisposable
{
    private static readonly string NmFile = TestPaths.Data("dicom", "poumonsReins.dcm");
    private readonly string _output = Path.Combine(Path.GetTempPath(), $"halflife-restore-{Guid.NewGuid():N}.dcm");

    private (DicomFile Original, DicomFile Derived) RestoreAndSave()
    {
        var original = DicomFile.Open(NmFile);
        var restored = BoneScanRestorer.Restore(original.Dataset, fixture.Model);
        var derived = DerivedSeriesWriter.Write(original.Dataset, restored, fixture.Model.Name, fixture.Model.Version);
        derived.Save(_output);
        return (original, derived);
    }

    [Fact]
    public void Derived_object_reads_back_as_a_new_instance_of_the_same_study_pointing_at_its_source()
    {
        var (original, _) = RestoreAndSave();
        var derived = DicomFile.Open(_output).Dataset;
        var source = original.Dataset;

        Assert.NotEqual(source.GetString(DicomTag.SOPInstanceUID), derived.GetString(DicomTag.SOPInstanceUID));
        Assert.NotEqual(source.GetString(DicomTag.SeriesInstanceUID), derived.GetString(DicomTag.SeriesInstanceUID));
        Assert.Equal(source.GetString(DicomTag.StudyInstanceUID), derived.GetString(DicomTag.StudyInstanceUID));
        Assert.Equal(["DERIVED", "SECONDARY", "STATIC", "EMISSION"], derived.GetValues<string>(DicomTag.ImageType));
        Assert.Equal("Restored with bone-restore 1.0.0 (Halflife)", derived.GetString(DicomTag.DerivationDescription));
        Assert.EndsWith("[restored]", derived.GetString(DicomTag.SeriesDescription));
        var equipment = derived.GetSequence(DicomTag.ContributingEquipmentSequence).Last();
        Assert.Equal(("bone-restore", "1.0.0"), (equipment.GetString(DicomTag.ManufacturerModelName), equipment.GetString(DicomTag.SoftwareVersions)));
        Assert.Equal("109102", equipment.GetSequence(DicomTag.PurposeOfReferenceCodeSequence).Single().GetString(DicomTag.CodeValue));
        var reference = derived.GetSequence(DicomTag.SourceImageSequence).Single();
        Assert.Equal(source.GetString(DicomTag.SOPInstanceUID), reference.GetString(DicomTag.ReferencedSOPInstanceUID));
        Assert.Equal(source.GetString(DicomTag.SOPClassUID), reference.GetString(DicomTag.ReferencedSOPClassUID));
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, DicomFile.Open(_output).FileMetaInfo.TransferSyntax);

        var pixels = DicomPixelData.Create(derived);
        Assert.Equal((256, 256, 2, 16), (pixels.Width, pixels.Height, pixels.NumberOfFrames, pixels.BitsAllocated));
    }

    [Fact]
    public void Redelivery_builds_the_same_uids()
    {
        var first = RestoreAndSave().Derived.Dataset;
        var second = RestoreAndSave().Derived.Dataset;
        Assert.Equal(first.GetString(DicomTag.SOPInstanceUID), second.GetString(DicomTag.SOPInstanceUID));
        Assert.Equal(first.GetString(DicomTag.SeriesInstanceUID), second.GetString(DicomTag.SeriesInstanceUID));
    }

    [Fact]
    public void Restored_views_differ_from_the_input_but_keep_its_count_level()
    {
        var (original, derived) = RestoreAndSave();
        var input = DicomPixelData.Create(original.Dataset);
        var output = DicomPixelData.Create(DicomFile.Open(_output).Dataset);
        for (var f = 0; f < 2; f++)
        {
            var before = input.GetFrameValues(f);
            var after = output.GetFrameValues(f);
            Assert.NotEqual(before, after);
            var ratio = after.Average() / before.Average();
            Assert.InRange(ratio, 0.3, 3.0);
        }
    }

    [Fact]
    public void Pydicom_reads_the_derived_object()
    {
        ExternalTools.RequirePydicom();
        RestoreAndSave();
        const string script = """
            import sys, pydicom
            d = pydicom.dcmread(sys.argv[1]); o = pydicom.dcmread(sys.argv[2])
            a = d.pixel_array
            assert a.shape == (2, 256, 256), a.shape
            assert d.ImageType[0] == 'DERIVED', d.ImageType
            assert d.SeriesInstanceUID != o.SeriesInstanceUID
            assert d.StudyInstanceUID == o.StudyInstanceUID
            assert d.SourceImageSequence[0].ReferencedSOPInstanceUID == o.SOPInstanceUID
            print('ok', a.dtype, int(a.sum()))
            """;
        var (exit, output, error) = ExternalTools.Pydicom(script, _output, NmFile);
        Assert.True(exit == 0, $"pydicom rejected the derived file: {error}{output}");
        Assert.StartsWith("ok uint16", output);
    }

    [Fact]
    public void Dcmdump_reads_the_derived_object_without_errors_or_warnings()
    {
        var dcmdump = ExternalTools.Dcmdump();
        RestoreAndSave();
        var (exit, output, error) = ExternalTools.Run(dcmdump, _output);
        Assert.True(exit == 0, $"dcmdump failed: {error}");
        var problems = (output + "\n" + error).Split('\n').Where(l => l.StartsWith("E:") || l.StartsWith("W:")).ToList();
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.Contains("DERIVED\\SECONDARY", output);
    }

    public void Dispose()
    {
        if (File.Exists(_output)) File.Delete(_output);
    }
}
