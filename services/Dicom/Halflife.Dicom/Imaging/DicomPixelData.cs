using System.Buffers.Binary;

namespace Halflife.Dicom.Imaging;

/// <summary>
/// The image pixel module of a data set (PS3.3 C.7.6.3) and its frames: native (uncompressed) pixel data of
/// 1, 8, 16 or 32 bits and RLE Lossless are decoded here; other compressed syntaxes raise DicomCodecException.
/// </summary>
public sealed class DicomPixelData
{
    private readonly DicomDataset _dataset;
    private readonly DicomItem _pixelItem;

    private DicomPixelData(DicomDataset dataset, DicomItem pixelItem)
    {
        _dataset = dataset;
        _pixelItem = pixelItem;
        Width = dataset.GetSingleValue<int>(DicomTag.Columns);
        Height = dataset.GetSingleValue<int>(DicomTag.Rows);
        BitsAllocated = dataset.GetSingleValue<int>(DicomTag.BitsAllocated);
        BitsStored = dataset.GetSingleValueOrDefault(DicomTag.BitsStored, BitsAllocated);
        HighBit = dataset.GetSingleValueOrDefault(DicomTag.HighBit, BitsStored - 1);
        PixelRepresentation = dataset.GetSingleValueOrDefault(DicomTag.PixelRepresentation, 0);
        SamplesPerPixel = dataset.GetSingleValueOrDefault(DicomTag.SamplesPerPixel, 1);
        PlanarConfiguration = dataset.GetSingleValueOrDefault(DicomTag.PlanarConfiguration, 0);
        PhotometricInterpretation = dataset.TryGetString(DicomTag.PhotometricInterpretation, out var pi) ? pi : "";
        NumberOfFrames = dataset.TryGetValues<string>(DicomTag.NumberOfFrames, out var nf) && nf.Length == 1 &&
                         int.TryParse(nf[0], out var n) && n > 0 ? n : 1;
        if (Width <= 0 || Height <= 0 || SamplesPerPixel <= 0)
            throw new DicomDataException($"Image of {Width}x{Height} with {SamplesPerPixel} samples per pixel has no pixels.");
    }

    public static DicomPixelData Create(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var item = dataset.GetDicomItem<DicomItem>(DicomTag.PixelData)
            ?? throw new DicomDataException("The data set has no Pixel Data (7FE0,0010).");
        return new DicomPixelData(dataset, item);
    }

    public int Width { get; }
    public int Height { get; }
    public int NumberOfFrames { get; }
    public int BitsAllocated { get; }
    public int BitsStored { get; }
    public int HighBit { get; }
    public int PixelRepresentation { get; }
    public int SamplesPerPixel { get; }
    public int PlanarConfiguration { get; }
    public string PhotometricInterpretation { get; }
    public DicomTransferSyntax TransferSyntax => _dataset.InternalTransferSyntax;
    public bool IsSigned => PixelRepresentation == 1;

    private int BytesPerSample => Math.Max(1, BitsAllocated / 8);

    /// <summary>Samples in one frame (rows x columns x samples per pixel).</summary>
    public int SamplesPerFrame => checked(Width * Height * SamplesPerPixel);

    /// <summary>
    /// One frame's uncompressed bytes, little endian. Native frames keep their stored planar configuration;
    /// RLE frames come out interleaved (sample by sample), which is what <see cref="GetFrameValues"/> uses.
    /// </summary>
    public byte[] GetFrame(int frame)
    {
        if (frame < 0 || frame >= NumberOfFrames)
            throw new ArgumentOutOfRangeException(nameof(frame), $"frame {frame} of {NumberOfFrames}");
        if (BitsAllocated is not (1 or 8 or 16 or 32))
            throw new DicomCodecException($"cannot decode: BitsAllocated {BitsAllocated} (packed or unusual sample sizes are not supported)");
        return _pixelItem switch
        {
            DicomElement e => NativeFrame(e, frame),
            DicomFragmentSequence f when TransferSyntax == DicomTransferSyntax.RLELossless =>
                RleDecoder.DecodeFrame(FrameBytes(f, frame), Width * Height, SamplesPerPixel, BytesPerSample),
            DicomFragmentSequence => throw new DicomCodecException($"cannot decode: {TransferSyntax.UID.Name}"),
            _ => throw new DicomDataException("Pixel Data is neither a value nor fragments."),
        };
    }

    private bool IsInterleavedOutput(int frame) => _pixelItem is DicomFragmentSequence || PlanarConfiguration == 0 || SamplesPerPixel == 1;

    private byte[] NativeFrame(DicomElement e, int frame)
    {
        var buffer = e.Buffer.Span;
        if (BitsAllocated == 1)
        {
            // Bit-packed frames need not start on a byte boundary: unpack each bit into a byte.
            var bits = (long)SamplesPerFrame;
            var first = bits * frame;
            if ((first + bits + 7) / 8 > buffer.Length)
                throw new DicomDataException($"Pixel Data holds {buffer.Length} bytes, too few for frame {frame}.");
            var result = new byte[bits];
            for (long i = 0; i < bits; i++)
            {
                var bit = first + i;
                result[i] = (byte)((buffer[(int)(bit >> 3)] >> (int)(bit & 7)) & 1);
            }
            return result;
        }
        var size = (long)SamplesPerFrame * BytesPerSample;
        var offset = size * frame;
        if (offset + size > buffer.Length)
            throw new DicomDataException($"Pixel Data holds {buffer.Length} bytes; frame {frame} needs bytes {offset}..{offset + size}.");
        return buffer.Slice((int)offset, (int)size).ToArray();
    }

    /// <summary>The fragments of one frame: by the basic offset table, else one fragment per frame, else all of them for one frame.</summary>
    public byte[] FrameBytes(DicomFragmentSequence f, int frame)
    {
        var offsets = f.OffsetTable;
        if (offsets.Count == NumberOfFrames && NumberOfFrames > 1)
        {
            var start = offsets[frame];
            var end = frame + 1 < offsets.Count ? offsets[frame + 1] : uint.MaxValue;
            using var ms = new MemoryStream();
            uint position = 0;
            foreach (var fragment in f.Fragments)
            {
                if (position >= start && position < end) ms.Write(fragment);
                position += (uint)fragment.Length + 8;
            }
            return ms.ToArray();
        }
        if (NumberOfFrames == 1) return f.Fragments.SelectMany(x => x).ToArray();
        if (f.Fragments.Count == NumberOfFrames) return f.Fragments[frame];
        throw new DicomCodecException($"cannot map {f.Fragments.Count} fragments to {NumberOfFrames} frames without a basic offset table.");
    }

    /// <summary>
    /// Stored values of one frame, sign applied, samples interleaved (row by row, pixel by pixel, sample by
    /// sample): the layout of pydicom's pixel_array. No rescale or windowing.
    /// </summary>
    public long[] GetFrameValues(int frame)
    {
        var bytes = GetFrame(frame);
        var n = SamplesPerFrame;
        var values = new long[n];
        var planar = !IsInterleavedOutput(frame);
        var pixels = Width * Height;
        for (var i = 0; i < n; i++)
        {
            // Planar configuration 1 stores all reds, then greens, then blues; read across the planes.
            var src = planar ? (i % SamplesPerPixel) * pixels + i / SamplesPerPixel : i;
            values[i] = BitsAllocated switch
            {
                1 or 8 => IsSigned ? (sbyte)bytes[src] : bytes[src],
                16 => IsSigned ? BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(src * 2)) : BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(src * 2)),
                _ => IsSigned ? BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(src * 4)) : BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(src * 4)),
            };
        }
        return values;
    }
}
