using Halflife.Dicom.Tests.Oracle;

namespace Halflife.Dicom.Tests;

/// <summary>Read -> write -> read keeps every element, and DCMTK's dcmdump accepts what we write.</summary>
public class CorpusRoundTripTests
{
    private static DicomFile? OpenOrNull(string name)
    {
        try
        {
            return DicomFile.Open(TestData.Dicom(name));
        }
        catch (DicomFileException)
        {
            return null; // refused corrupt files are covered by PydicomOracleTests
        }
    }

    private static byte[] Save(DicomFile file)
    {
        using var ms = new MemoryStream();
        file.Save(ms);
        return ms.ToArray();
    }

    [Theory]
    [MemberData(nameof(TestData.CorpusFiles), MemberType = typeof(TestData))]
    public void Read_write_read_keeps_every_element(string name)
    {
        TestData.RequireCorpus();
        var first = OpenOrNull(name);
        if (first is null) return;
        var bytes = Save(first);
        var second = DicomFile.Open(new MemoryStream(bytes));

        Assert.Equal(first.FileMetaInfo.TransferSyntax, second.FileMetaInfo.TransferSyntax);
        var diffs = DatasetJson.Compare(DatasetJson.Of(first.Dataset), DatasetJson.Of(second.Dataset));
        // Odd-length values are padded to even length on write, as PS3.5 7.1.1 requires; nothing else may change.
        diffs.RemoveAll(d => d.Contains("bytes differ") && IsOnlyPadding(first, second, d));
        Assert.True(diffs.Count == 0, $"{name}: {diffs.Count} differences after a round trip:\n" + string.Join("\n", diffs.Take(20)));
    }

    private static bool IsOnlyPadding(DicomFile first, DicomFile second, string diff)
    {
        var path = diff[..diff.IndexOf(':')];
        if (Resolve(first.Dataset, path) is not DicomElement a || Resolve(second.Dataset, path) is not DicomElement b) return false;
        return a.Length % 2 == 1 && b.Length == a.Length + 1 && b.Buffer.Span[..a.Length].SequenceEqual(a.Buffer.Span);
    }

    /// <summary>Follows a comparison path such as "/00010001[0]/00010002" down through sequence items.</summary>
    private static DicomItem? Resolve(DicomDataset ds, string path)
    {
        DicomItem? item = null;
        foreach (var step in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var tag = DicomTag.FromValue(Convert.ToUInt32(step[..8], 16));
            item = ds.GetDicomItem<DicomItem>(tag);
            if (step.Length > 8)
            {
                if (item is not DicomSequence seq) return null;
                ds = seq.Items[int.Parse(step[9..^1], System.Globalization.CultureInfo.InvariantCulture)];
            }
        }
        return item;
    }

    [Theory]
    [MemberData(nameof(TestData.CorpusFiles), MemberType = typeof(TestData))]
    public void Dcmdump_reads_what_we_write_without_complaint(string name)
    {
        TestData.RequireCorpus();
        TestData.Require(File.Exists("/usr/bin/dcmdump"), "DCMTK's dcmdump (Debian package dcmtk)");
        var file = OpenOrNull(name);
        if (file is null) return;
        var path = Path.Combine(Path.GetTempPath(), $"halflife-dicom-{Guid.NewGuid():N}.dcm");
        try
        {
            File.WriteAllBytes(path, Save(file));
            var (code, stdout, stderr) = PydicomOracle.Run("/usr/bin/dcmdump", ["-q", path], 60_000);
            var complaints = (stdout + "\n" + stderr).Split('\n')
                .Where(l => l.StartsWith("E:", StringComparison.Ordinal) || l.StartsWith("W:", StringComparison.Ordinal))
                .ToList();
            Assert.True(code == 0 && complaints.Count == 0,
                $"dcmdump exit {code} on our {name}:\n{string.Join("\n", complaints.Take(10))}");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
