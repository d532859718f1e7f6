using Halflife.Dicom;
using Halflife.Dicom.Derivation;
using Halflife.Dicom.Imaging;
using Halflife.Testing;

namespace Halflife.Denoise.Tests;

/// <summary>The generic derived-object builder on the real two-view NM file (read in place).</summary>
public sealed class DerivedInstanceBuilderTests
{
    private static readonly DerivationInfo Smoothed = new("Smoothed for a test", "[test]", ["test-method", "1", "k=2"]);

    private static DicomDataset Source() => DicomFile.Open(TestPaths.Data("dicom", "poumonsReins.dcm")).Dataset;

    private static DerivedFrames Halved(DicomDataset source)
    {
        var pixels = DicomPixelData.Create(source);
        var frames = Enumerable.Range(0, pixels.NumberOfFrames)
            .Select(f => pixels.GetFrameValues(f).Select(v => (float)(v / 2.0)).ToArray()).ToList();
        return DerivedFrames.FromReal(pixels.Width, pixels.Height, frames);
    }

    [Fact]
    public void Derived_object_is_a_new_secondary_instance_of_the_same_study_pointing_at_its_source()
    {
        var source = Source();
        var file = DerivedInstanceBuilder.Build(source, Smoothed, Halved(source));
        using var buffer = new MemoryStream();
        file.Save(buffer);
        buffer.Position = 0;
        var read = DicomFile.Open(buffer);
        var derived = read.Dataset;

        Assert.NotEqual(source.GetString(DicomTag.SOPInstanceUID), derived.GetString(DicomTag.SOPInstanceUID));
        Assert.NotEqual(source.GetString(DicomTag.SeriesInstanceUID), derived.GetString(DicomTag.SeriesInstanceUID));
        Assert.StartsWith("2.25.", derived.GetString(DicomTag.SOPInstanceUID));
        Assert.Equal(source.GetString(DicomTag.StudyInstanceUID), derived.GetString(DicomTag.StudyInstanceUID));
        Assert.Equal(source.GetString(DicomTag.PatientID), derived.GetString(DicomTag.PatientID));
        Assert.Equal(["DERIVED", "SECONDARY", "STATIC", "EMISSION"], derived.GetValues<string>(DicomTag.ImageType));
        Assert.Equal("Smoothed for a test", derived.GetString(DicomTag.DerivationDescription));
        Assert.EndsWith("[test]", derived.GetString(DicomTag.SeriesDescription));
        var reference = Assert.Single(derived.GetSequence(DicomTag.SourceImageSequence));
        Assert.Equal(source.GetString(DicomTag.SOPInstanceUID), reference.GetString(DicomTag.ReferencedSOPInstanceUID));
        Assert.Equal(source.GetString(DicomTag.SOPClassUID), reference.GetString(DicomTag.ReferencedSOPClassUID));
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, read.FileMetaInfo.TransferSyntax);
    }

    [Fact]
    public void Group_lengths_of_the_source_are_not_carried_into_the_derived_object()
    {
        var source = Source();
        Assert.Contains(source, item => item.Tag.Element == 0x0000 && item.Tag.Group != 0x0002);
        var derived = DerivedInstanceBuilder.Build(source, Smoothed, Halved(source)).Dataset;
        Assert.DoesNotContain(derived, item => item.Tag.Element == 0x0000);
    }

    [Fact]
    public void Real_values_survive_through_the_rescale_slope()
    {
        var source = Source();
        var original = DicomPixelData.Create(source);
        var derived = DicomFile.Open(Save(DerivedInstanceBuilder.Build(source, Smoothed, Halved(source)))).Dataset;
        var pixels = DicomPixelData.Create(derived);
        var slope = derived.GetSingleValue<double>(DicomTag.RescaleSlope);
        var intercept = derived.GetSingleValue<double>(DicomTag.RescaleIntercept);
        Assert.Equal((original.Width, original.Height, original.NumberOfFrames, 16), (pixels.Width, pixels.Height, pixels.NumberOfFrames, pixels.BitsAllocated));
        for (var f = 0; f < pixels.NumberOfFrames; f++)
        {
            var before = original.GetFrameValues(f);
            var after = pixels.GetFrameValues(f);
            // Half of an odd count is x.5: a slope of 1 would round it away; the chosen slope keeps it within half a step.
            for (var i = 0; i < before.Length; i++)
                Assert.True(Math.Abs(after[i] * slope + intercept - before[i] / 2.0) <= slope / 2 + 1e-9, $"frame {f} pixel {i}");
        }
        Assert.True(slope < 1, $"slope {slope}");
    }

    [Fact]
    public void Same_source_and_process_give_the_same_uids_and_another_process_other_ones()
    {
        var source = Source();
        var a = DerivedInstanceBuilder.Build(source, Smoothed, Halved(source)).Dataset;
        var b = DerivedInstanceBuilder.Build(source, Smoothed, Halved(source)).Dataset;
        var c = DerivedInstanceBuilder.Build(source, Smoothed with { Identity = ["test-method", "1", "k=3"] }, Halved(source)).Dataset;
        Assert.Equal(a.GetString(DicomTag.SOPInstanceUID), b.GetString(DicomTag.SOPInstanceUID));
        Assert.Equal(a.GetString(DicomTag.SeriesInstanceUID), b.GetString(DicomTag.SeriesInstanceUID));
        Assert.NotEqual(a.GetString(DicomTag.SOPInstanceUID), c.GetString(DicomTag.SOPInstanceUID));
        Assert.NotEqual(a.GetString(DicomTag.SeriesInstanceUID), c.GetString(DicomTag.SeriesInstanceUID));
    }

    [Fact]
    public void Bad_pixels_or_derivation_are_refused_with_a_reason()
    {
        var source = Source();
        Assert.Throws<ArgumentException>(() => DerivedInstanceBuilder.Build(source, Smoothed, new DerivedFrames(4, 4, [new ushort[15]])));
        Assert.Throws<ArgumentException>(() => DerivedInstanceBuilder.Build(source, Smoothed, new DerivedFrames(4, 4, [])));
        Assert.Throws<ArgumentException>(() => DerivedInstanceBuilder.Build(source, Smoothed with { Identity = [] }, new DerivedFrames(4, 4, [new ushort[16]])));
        Assert.Throws<ArgumentException>(() => DerivedInstanceBuilder.Build(source, Smoothed with { Description = new string('x', 1025) }, new DerivedFrames(4, 4, [new ushort[16]])));
        Assert.Throws<ArgumentException>(() => DerivedInstanceBuilder.Build(source, Smoothed, new DerivedFrames(4, 4, [new ushort[16]], RescaleSlope: 0)));
    }

    [Fact]
    public void Pydicom_and_dcmdump_read_the_derived_object()
    {
        var source = Source();
        var path = Path.Combine(Path.GetTempPath(), $"halflife-derived-{Guid.NewGuid():N}.dcm");
        try
        {
            DerivedInstanceBuilder.Build(source, Smoothed, Halved(source)).Save(path);
            ExternalTools.RequirePydicom();
            const string script = """
                import sys, pydicom
                d = pydicom.dcmread(sys.argv[1])
                a = d.pixel_array
                assert a.shape == (2, 256, 256), a.shape
                assert list(d.ImageType[:2]) == ['DERIVED', 'SECONDARY'], d.ImageType
                print('ok', a.dtype, float(d.RescaleSlope))
                """;
            var (exit, output, error) = ExternalTools.Pydicom(script, path);
            Assert.True(exit == 0, $"pydicom rejected the derived file: {error}{output}");
            Assert.StartsWith("ok uint16", output);

            var (dumpExit, dump, dumpError) = ExternalTools.Run(ExternalTools.Dcmdump(), path);
            Assert.True(dumpExit == 0, $"dcmdump failed: {dumpError}");
            var problems = (dump + "\n" + dumpError).Split('\n').Where(l => l.StartsWith("E:") || l.StartsWith("W:")).ToList();
            Assert.True(problems.Count == 0, string.Join('\n', problems));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static MemoryStream Save(DicomFile file)
    {
        var buffer = new MemoryStream();
        file.Save(buffer);
        buffer.Position = 0;
        return buffer;
    }
}
