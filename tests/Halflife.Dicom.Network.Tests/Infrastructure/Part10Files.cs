using System.Buffers.Binary;
using System.Text;

namespace Halflife.Dicom.Network.Tests.Infrastructure;

/// <summary>Test-side helpers: wrap a received data set in a minimal Part 10 header so dcmdump can read it; list sendable files.</summary>
internal static class Part10Files
{
    public static byte[] Wrap(string sopClass, string sopInstance, string transferSyntax, byte[] dataSet)
    {
        var meta = new MemoryStream();
        WriteElement(meta, 0x0001, "OB", [0, 1]);
        WriteElement(meta, 0x0002, "UI", Uid(sopClass));
        WriteElement(meta, 0x0003, "UI", Uid(sopInstance));
        WriteElement(meta, 0x0010, "UI", Uid(transferSyntax));
        WriteElement(meta, 0x0012, "UI", Uid("1.2.3.4"));
        var file = new MemoryStream();
        file.Write(new byte[128]);
        file.Write("DICM"u8);
        var groupLength = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(groupLength, (uint)meta.Length);
        WriteElement(file, 0x0000, "UL", groupLength);
        meta.WriteTo(file);
        file.Write(dataSet);
        return file.ToArray();
    }

    /// <summary>The data set bytes of a Part 10 file (after its meta group).</summary>
    public static byte[] DataSetOf(string path)
    {
        var info = Part10MetaReader.Read(path);
        return File.ReadAllBytes(path)[(int)info.DataSetOffset..];
    }

    /// <summary>Files of the shared set that carry a usable meta header (what our SCU can send as is).</summary>
    public static IEnumerable<(string Path, Part10FileInfo Info)> WithMeta(string directory)
    {
        foreach (var path in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
        {
            Part10FileInfo info;
            try
            {
                info = Part10MetaReader.Read(path);
            }
            catch (InvalidDataException)
            {
                continue;
            }
            // DICOMDIR is a media directory, not a storage instance.
            if (info.SopClassUid == "1.2.840.10008.1.3.10")
            {
                continue;
            }
            yield return (path, info);
        }
    }

    /// <summary>Files the data manifest marks BROKEN (truncated, wrong encoding): peers that parse data sets refuse them.</summary>
    public static HashSet<string> BrokenFileNames()
    {
        var manifest = Path.Combine(TestEnvironment.SharedDataDirectory, "MANIFEST.md");
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(manifest))
        {
            return names;
        }
        foreach (var line in File.ReadLines(manifest).Where(l => l.Contains("BROKEN")))
        {
            var start = line.IndexOf("`dicom/", StringComparison.Ordinal);
            if (start >= 0)
            {
                var end = line.IndexOf('`', start + 1);
                names.Add(line[(start + 7)..end]);
            }
        }
        return names;
    }

    /// <summary>
    /// Sendable files that DCMTK-based peers (storescp, Orthanc) can parse: not BROKEN, a transfer syntax DCMTK 3.6.7
    /// knows (it predates HTJ2K and Deflated Image Frame Compression), and readable by dcmdump.
    /// </summary>
    public static async Task<List<(string Path, Part10FileInfo Info)>> ReadableByDcmtkAsync(string dcmdump, CancellationToken cancellationToken)
    {
        string[] unknownToDcmtk = ["1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203", "1.2.840.10008.1.2.8.1"];
        var broken = BrokenFileNames();
        var files = new List<(string Path, Part10FileInfo Info)>();
        foreach (var file in WithMeta(TestEnvironment.DicomDirectory))
        {
            if (!broken.Contains(System.IO.Path.GetFileName(file.Path)) && !unknownToDcmtk.Contains(file.Info.TransferSyntaxUid)
                && (await ExternalProcess.RunAsync(dcmdump, ["-q", file.Path], TimeSpan.FromMinutes(1), cancellationToken)).ExitCode == 0)
            {
                files.Add(file);
            }
        }
        return files;
    }

    private static byte[] Uid(string uid)
    {
        var bytes = Encoding.ASCII.GetBytes(uid);
        return bytes.Length % 2 == 0 ? bytes : [.. bytes, 0];
    }

    private static void WriteElement(Stream stream, ushort element, string vr, byte[] value)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(header, 0x0002);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], element);
        Encoding.ASCII.GetBytes(vr, header[4..]);
        if (vr == "OB")
        {
            header[6] = header[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)value.Length);
            stream.Write(header);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)value.Length);
            stream.Write(header[..8]);
        }
        stream.Write(value);
    }
}
