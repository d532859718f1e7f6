using System.Buffers.Binary;
using System.Text;

namespace Halflife.Dicom.Tests;

/// <summary>
/// Corrupted variants of the corpus (seeded, so failures reproduce) must each give a data set or a
/// DicomFileException: never another exception, a hang, or unbounded memory.
/// </summary>
[Trait("Category", "Slow")]
public class MutationTests(ITestOutputHelper output)
{
    private const int Seed = 20261121;
    private const int Variants = 12_000;
    private const long MaxFileSize = 64 * 1024;

    [Fact]
    public void Corrupted_corpus_files_fail_cleanly()
    {
        TestData.RequireCorpus();
        var corpus = Directory.GetFiles(TestData.DicomFolder)
            .Where(f => new FileInfo(f).Length <= MaxFileSize)
            .Order(StringComparer.Ordinal)
            .Select(f => (Name: Path.GetFileName(f), Bytes: File.ReadAllBytes(f)))
            .ToArray();
        var random = new Random(Seed);
        // A few deeply nested files, built once: nesting far past the limit is refused at the same depth anyway.
        var nested = new[] { DeepNesting(63, true), DeepNesting(65, false), DeepNesting(2000, true), DeepNesting(400, false) };
        var outcomes = new Dictionary<string, int>();

        for (var i = 0; i < Variants; i++)
        {
            var (name, original) = corpus[random.Next(corpus.Length)];
            var (kind, mutated) = Mutate(original, random, nested);
            var outcome = Parse(mutated, seekable: i % 4 != 0, $"variant {i} ({kind} of {name})");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        output.WriteLine(string.Join(", ", outcomes.Select(kv => $"{kv.Key}: {kv.Value}")));
        Assert.True(outcomes.GetValueOrDefault("DicomFileException") > Variants / 20, "mutations should break many files");
        Assert.True(outcomes.GetValueOrDefault("dataset") > Variants / 20, "mild mutations should still parse");
    }

    /// <summary>Parses under a time budget and an allocation budget, and touches every value it got.</summary>
    private static string Parse(byte[] bytes, bool seekable, string what)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var options = new DicomReadOptions { CancellationToken = cts.Token };
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            Stream stream = seekable ? new MemoryStream(bytes, writable: false) : new ForwardOnlyStream(bytes);
            var file = DicomFile.Open(stream, options);
            Touch(file.Dataset, 0);
            return "dataset";
        }
        catch (DicomFileException)
        {
            return "DicomFileException";
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{what}: parsing did not finish within its time budget");
            throw;
        }
        catch (Exception ex)
        {
            Assert.Fail($"{what}: {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
            throw;
        }
        finally
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            // Values are bounded by the bytes really present, so reading costs a small multiple of the input.
            Assert.True(allocated < 64L * 1024 * 1024 + 40L * bytes.Length, $"{what}: allocated {allocated} bytes for {bytes.Length} input bytes");
        }
    }

    /// <summary>Reading values of a corrupt data set may refuse with a DicomException, nothing else.</summary>
    private static void Touch(DicomDataset ds, int depth)
    {
        foreach (var item in ds)
        {
            try
            {
                switch (item)
                {
                    case DicomSequence s:
                        foreach (var child in s.Items) Touch(child, depth + 1);
                        break;
                    case DicomElement e when e.ValueRepresentation.IsString || e.ValueRepresentation.IsBinaryNumeric:
                        ds.GetValues<string>(e.Tag);
                        break;
                }
            }
            catch (DicomException)
            {
            }
        }
        if (depth == 0 && ds.Contains(DicomTag.PixelData))
        {
            try
            {
                var pixels = Imaging.DicomPixelData.Create(ds);
                if ((long)pixels.SamplesPerFrame < 300_000) pixels.GetFrameValues(0);
            }
            catch (DicomException)
            {
            }
        }
    }

    private static (string Kind, byte[] Bytes) Mutate(byte[] original, Random random, byte[][] nested)
    {
        var b = (byte[])original.Clone();
        switch (random.Next(6))
        {
            case 0:
                return ("truncation", b[..random.Next(b.Length)]);
            case 1:
            {
                // An absurd length where a length field may be: any 4 bytes become huge or undefined.
                var at = random.Next(Math.Max(1, b.Length - 4));
                uint[] lengths = [0xFFFFFFFF, 0xFFFFFFFE, 0x7FFFFFFF, 0x80000000, (uint)random.Next(), 0xFFFF];
                BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), lengths[random.Next(lengths.Length)]);
                return ("absurd length", b);
            }
            case 2:
            {
                // Replace an explicit VR (two capital letters) with garbage or another VR.
                var positions = VrPositions(b);
                if (positions.Count == 0) goto default;
                var at = positions[random.Next(positions.Count)];
                string[] codes = ["SQ", "UN", "OB", "XX", "\0\0", "UT", "US", "ZZ"];
                var code = codes[random.Next(codes.Length)];
                b[at] = (byte)code[0];
                b[at + 1] = (byte)code[1];
                return ("bad VR", b);
            }
            case 3:
                return ("deep nesting", nested[random.Next(nested.Length)]);
            case 4:
            {
                // Splice: a copy of some bytes inserted elsewhere (duplicated headers, shifted elements).
                var from = random.Next(b.Length);
                var len = random.Next(1, Math.Min(64, b.Length - from) + 1);
                var at = random.Next(b.Length);
                return ("splice", [.. b[..at], .. b.AsSpan(from, len).ToArray(), .. b[at..]]);
            }
            default:
            {
                var flips = random.Next(1, 9);
                for (var k = 0; k < flips; k++) b[random.Next(b.Length)] ^= (byte)(1 << random.Next(8));
                return ("byte flips", b);
            }
        }
    }

    private static List<int> VrPositions(byte[] b)
    {
        var list = new List<int>();
        for (var i = 132 + 4; i + 1 < b.Length; i++)
            if (b[i] is >= (byte)'A' and <= (byte)'Z' && b[i + 1] is >= (byte)'A' and <= (byte)'Z' &&
                DicomVR.TryParse(Encoding.ASCII.GetString(b, i, 2), out _)) list.Add(i);
        return list;
    }

    /// <summary>A file whose data set nests sequences <paramref name="depth"/> deep (defined or undefined lengths).</summary>
    public static byte[] DeepNesting(int depth, bool undefined)
    {
        var body = new MemoryStream();
        var w = new BinaryWriter(body);
        var inner = Array.Empty<byte>();
        for (var d = 0; d < depth; d++)
        {
            var ms = new MemoryStream();
            var bw = new BinaryWriter(ms);
            // (0008,1140) SQ, one item holding the previous level.
            bw.Write((ushort)0x0008); bw.Write((ushort)0x1140); bw.Write("SQ"u8); bw.Write((ushort)0);
            bw.Write(undefined ? 0xFFFFFFFF : (uint)(inner.Length + 8 + (undefined ? 8 : 0)));
            bw.Write((ushort)0xFFFE); bw.Write((ushort)0xE000); bw.Write(undefined ? 0xFFFFFFFF : (uint)inner.Length);
            bw.Write(inner);
            if (undefined)
            {
                bw.Write((ushort)0xFFFE); bw.Write((ushort)0xE00D); bw.Write(0u);
                bw.Write((ushort)0xFFFE); bw.Write((ushort)0xE0DD); bw.Write(0u);
            }
            inner = ms.ToArray();
        }
        var file = new MemoryStream();
        file.Write(new byte[128]);
        file.Write("DICM"u8);
        var meta = new DicomFileMetaInformation();
        meta.TransferSyntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        var fw = new BinaryWriter(file);
        var uid = Encoding.ASCII.GetBytes(DicomTransferSyntax.ExplicitVRLittleEndian.UID.UID + "\0");
        fw.Write((ushort)0x0002); fw.Write((ushort)0x0010); fw.Write("UI"u8); fw.Write((ushort)uid.Length); fw.Write(uid);
        fw.Write(inner);
        return file.ToArray();
    }

    [Fact]
    public void Nesting_beyond_the_limit_is_refused_with_its_offset()
    {
        var ex = Assert.Throws<DicomFileException>(() => DicomFile.Open(new MemoryStream(DeepNesting(500, undefined: true))));
        Assert.Contains("nested deeper than 64", ex.Message);
        Assert.True(ex.Offset > 132);
        var ok = DicomFile.Open(new MemoryStream(DeepNesting(10, undefined: false)));
        Assert.True(ok.Dataset.Contains(DicomTag.ReferencedImageSequence));
    }

    [Fact]
    public void An_absurd_length_in_a_forward_only_stream_fails_without_allocating_it()
    {
        var bytes = DeepNesting(1, undefined: false);
        // Turn the whole data set into one (0009,0010)-like element claiming 2 GB.
        var header = new byte[] { 0x09, 0x00, 0x10, 0x10, (byte)'O', (byte)'B', 0, 0, 0x00, 0xFF, 0xFF, 0x7F };
        var forged = bytes.Take(132 + 8 + 20).Concat(header).Concat(new byte[100]).ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<DicomFileException>(() => DicomFile.Open(new ForwardOnlyStream(forged)));
        Assert.Contains("end of data", ex.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 * 1024 * 1024);
    }

    [Fact]
    public void Not_DICOM_at_all_is_a_DicomFileException()
    {
        Assert.Throws<DicomFileException>(() => DicomFile.Open(new MemoryStream(Encoding.ASCII.GetBytes("%PDF-1.7 hello world, this is not DICOM"))));
        Assert.Throws<DicomFileException>(() => DicomFile.Open(new MemoryStream([])));
    }

    /// <summary>A stream that cannot seek or tell its length, like a network stream.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private int _pos;
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(count, data.Length - _pos);
            Array.Copy(data, _pos, buffer, offset, n);
            _pos += n;
            return n;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
