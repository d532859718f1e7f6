using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Halflife.Evaluation;

/// <summary>
/// The NumPy .npy format (version 1.0 and 2.0) for 2-D little-endian float32/float64 arrays in C order: what the
/// simulator export writes and what the metric cross-check hands to Python.
/// </summary>
public static partial class NpyArray
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private const long MaxElements = 256L * 1024 * 1024;

    public static (float[] Values, int Rows, int Columns) Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        var magic = reader.ReadBytes(6);
        if (!magic.AsSpan().SequenceEqual(Magic)) throw new InvalidDataException($"{path}: not a .npy file.");
        var major = reader.ReadByte();
        reader.ReadByte();
        int headerLength = major == 1 ? reader.ReadUInt16() : major is 2 or 3 ? checked((int)reader.ReadUInt32()) : throw new InvalidDataException($"{path}: .npy version {major}.");
        if (headerLength > 65536) throw new InvalidDataException($"{path}: header of {headerLength} bytes.");
        var header = Encoding.Latin1.GetString(reader.ReadBytes(headerLength));
        var descr = Descr().Match(header);
        var shape = Shape().Match(header);
        if (!descr.Success || !shape.Success) throw new InvalidDataException($"{path}: cannot read the header {header.Trim()}.");
        if (header.Contains("'fortran_order': True", StringComparison.Ordinal)) throw new InvalidDataException($"{path}: Fortran order is not supported.");
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => long.Parse(d, CultureInfo.InvariantCulture)).ToArray();
        if (dims.Length != 2 || dims[0] <= 0 || dims[1] <= 0 || dims[0] * dims[1] > MaxElements)
            throw new InvalidDataException($"{path}: shape ({shape.Groups[1].Value}) is not a 2-D image of at most {MaxElements} values.");
        var (rows, columns) = ((int)dims[0], (int)dims[1]);
        var values = new float[rows * columns];
        switch (descr.Groups[1].Value)
        {
            case "<f4":
                var bytes = ReadExactly(reader, values.Length * 4, path);
                for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
                break;
            case "<f8":
                var wide = ReadExactly(reader, values.Length * 8, path);
                for (var i = 0; i < values.Length; i++) values[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(wide.AsSpan(i * 8));
                break;
            default:
                throw new InvalidDataException($"{path}: dtype {descr.Groups[1].Value} is not supported (float32 or float64).");
        }
        return (values, rows, columns);
    }

    public static void Write(string path, ReadOnlySpan<float> values, int rows, int columns)
    {
        if ((long)rows * columns != values.Length) throw new ArgumentException($"{values.Length} values are not {rows}x{columns}.");
        var header = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {columns}), }}");
        // The header (with magic, version and length) is padded with spaces to a multiple of 64 and ends in '\n'.
        var total = (10 + header.Length + 1 + 63) / 64 * 64;
        header = header.PadRight(total - 10 - 1) + "\n";
        using var stream = File.Create(path);
        stream.Write(Magic);
        stream.Write([1, 0]);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        stream.Write(length);
        stream.Write(Encoding.Latin1.GetBytes(header));
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        stream.Write(bytes);
    }

    private static byte[] ReadExactly(BinaryReader reader, int count, string path)
    {
        var bytes = reader.ReadBytes(count);
        if (bytes.Length != count) throw new InvalidDataException($"{path}: truncated ({bytes.Length} of {count} bytes).");
        return bytes;
    }

    [GeneratedRegex(@"'descr':\s*'([^']+)'")]
    private static partial Regex Descr();

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex Shape();
}
