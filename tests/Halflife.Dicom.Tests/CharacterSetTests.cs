using System.Text.Json.Nodes;
using Halflife.Dicom.Tests.Oracle;
using Halflife.Dicom.Text;

namespace Halflife.Dicom.Tests;

public class CharacterSetTests
{
    private const string KoreanName = "Hong^Gildong=洪^吉洞=홍^길동";

    [Fact]
    public void Japanese_ISO_2022_IR_87_with_escape_sequences_decodes()
    {
        TestData.RequireCorpus();
        var ds = DicomFile.Open(TestData.Dicom("chrH31.dcm")).Dataset;
        Assert.Equal("Yamada^Tarou=山田^太郎=やまだ^たろう", ds.GetString(DicomTag.PatientName));
    }

    [Fact]
    public void Cyrillic_ISO_IR_144_decodes()
    {
        TestData.RequireCorpus();
        var ds = DicomFile.Open(TestData.Dicom("chrRuss.dcm")).Dataset;
        Assert.Equal("Люкceмбypг", ds.GetString(DicomTag.PatientName));
    }

    [Fact]
    public void Korean_name_is_encoded_with_escape_per_run_as_in_PS3_5_annex_I()
    {
        var cs = DicomCharacterSet.FromTerms("", "ISO 2022 IR 149");
        var bytes = cs.Encode(KoreanName, isPersonName: true);
        // PS3.5 I.2: "Hong^Gildong=" then ESC $ ) C before every Korean run.
        Assert.StartsWith("Hong^Gildong=\u001b$)C", System.Text.Encoding.Latin1.GetString(bytes));
        Assert.Equal(4, bytes.Count(b => b == 0x1B));
        Assert.Equal(KoreanName, cs.Decode(bytes, isPersonName: true));
    }

    [Fact]
    public void Japanese_encode_switches_back_to_ASCII_before_delimiters()
    {
        var cs = DicomCharacterSet.FromTerms("", "ISO 2022 IR 87");
        var name = "Yamada^Tarou=山田^太郎";
        var bytes = cs.Encode(name, isPersonName: true);
        Assert.Contains("\u001b$B", System.Text.Encoding.Latin1.GetString(bytes));
        Assert.Contains("\u001b(B^", System.Text.Encoding.Latin1.GetString(bytes));
        Assert.Equal(name, cs.Decode(bytes, isPersonName: true));
    }

    [Theory]
    [InlineData("ISO_IR 100", "Müller^Jürgen")]
    [InlineData("ISO_IR 192", "Müller^Jürgen=홍^길동=山田")]
    [InlineData("ISO_IR 144", "Люкceмбypг")]
    public void Single_set_encodings_round_trip(string term, string text)
    {
        var cs = DicomCharacterSet.FromTerms(term);
        Assert.Equal(text, cs.Decode(cs.Encode(text, true), true));
    }

    [Fact]
    public void Text_that_the_character_set_cannot_hold_is_refused()
    {
        var cs = DicomCharacterSet.FromTerms("ISO_IR 100");
        Assert.Throws<DicomDataException>(() => cs.Encode("홍길동"));
    }

    [Fact]
    public void Korean_file_round_trips_and_pydicom_reads_the_same_name()
    {
        var ds = new DicomDataset(DicomTransferSyntax.ExplicitVRLittleEndian)
            .AddOrUpdate(DicomTag.SpecificCharacterSet, "\\ISO 2022 IR 149")
            .AddOrUpdate(DicomTag.SOPClassUID, DicomUID.SecondaryCaptureImageStorage.UID)
            .AddOrUpdate(DicomTag.SOPInstanceUID, DicomUID.Generate().UID)
            .AddOrUpdate(DicomTag.PatientName, KoreanName)
            .AddOrUpdate(DicomTag.StudyDescription, "뼈 스캔");
        var path = Path.Combine(Path.GetTempPath(), $"halflife-korean-{Guid.NewGuid():N}.dcm");
        try
        {
            new DicomFile(ds).Save(path);
            var back = DicomFile.Open(path).Dataset;
            Assert.Equal(KoreanName, back.GetString(DicomTag.PatientName));
            Assert.Equal("뼈 스캔", back.GetString(DicomTag.StudyDescription));

            PydicomOracle.Require();
            var view = PydicomOracle.Read(path);
            Assert.True((bool)view["ok"]!, view.ToJsonString());
            var name = ((JsonArray)view["dataset"]!).Single(e => (string)e!["tag"]! == "00100010")!["value"]![0]!.GetValue<string>();
            Assert.Equal(KoreanName, name);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
