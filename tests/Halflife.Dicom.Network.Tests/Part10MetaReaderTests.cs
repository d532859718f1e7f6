using System.Buffers.Binary;
using Halflife.Dicom.Network.Tests.Infrastructure;

namespace Halflife.Dicom.Network.Tests;

public sealed class Part10MetaReaderTests
{
    [Theory]
    [InlineData("CT_small.dcm", "1.2.840.10008.5.1.4.1.1.2", NetworkUids.ExplicitVrLittleEndian)]
    [InlineData("MR_small_implicit.dcm", "1.2.840.10008.5.1.4.1.1.4", NetworkUids.ImplicitVrLittleEndian)]
    [InlineData("MR_small_RLE.dcm", "1.2.840.10008.5.1.4.1.1.4", NetworkUids.RleLossless)]
    public void Finds_uids_and_the_first_data_set_element(string file, string sopClass, string transferSyntax)
    {
        var path = TestEnvironment.DicomFile(file);
        var info = Part10MetaReader.Read(path);

        Assert.Equal(sopClass, info.SopClassUid);
        Assert.Equal(transferSyntax, info.TransferSyntaxUid);
        Assert.StartsWith("1.", info.SopInstanceUid);
        var bytes = File.ReadAllBytes(path);
        // The first data set element follows the meta group: its group number is 0x0008 (or above), never 0x0002.
        var group = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan((int)info.DataSetOffset));
        Assert.True(group >= 0x0008, $"group {group:X4} at offset {info.DataSetOffset}");
    }

    [Fact]
    public void File_without_meta_is_refused_with_a_clear_error()
    {
        var error = Assert.Throws<InvalidDataException>(() => Part10MetaReader.Read(TestEnvironment.DicomFile("no_meta.dcm")));
        Assert.Contains("DICM", error.Message);
        Assert.Throws<InvalidDataException>(() => Part10MetaReader.Read(new MemoryStream(new byte[10])));
    }
}
