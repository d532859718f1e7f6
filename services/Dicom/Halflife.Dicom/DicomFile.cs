using System.IO.Compression;
using Halflife.Dicom.IO;

namespace Halflife.Dicom;

/// <summary>A DICOM Part 10 file: preamble, file meta information and the data set.</summary>
public sealed class DicomFile
{
    public DicomFile()
    {
        FileMetaInfo = new DicomFileMetaInformation();
        Dataset = new DicomDataset();
    }

    /// <summary>A file for writing a data set; the meta information is derived from the data set.</summary>
    public DicomFile(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        Dataset = dataset;
        FileMetaInfo = new DicomFileMetaInformation(dataset);
    }

    public DicomFileMetaInformation FileMetaInfo { get; private set; }
    public DicomDataset Dataset { get; private set; }

    /// <summary>The 128-byte preamble as read (all zero when written by us).</summary>
    public byte[] Preamble { get; set; } = new byte[128];

    /// <summary>True when reading stopped at <see cref="DicomReadOptions.StopBeforeTag"/>; saving it would lose data.</summary>
    public bool IsPartial { get; internal set; }

    public static DicomFile Open(string path) => Open(path, DicomReadOptions.Default);

    public static DicomFile Open(string path, DicomReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Open(fs, options);
    }

    public static DicomFile Open(Stream stream) => Open(stream, DicomReadOptions.Default);

    public static DicomFile Open(Stream stream, DicomReadOptions options) =>
        DicomFileReader.Read(stream, options ?? DicomReadOptions.Default);

    public static Task<DicomFile> OpenAsync(string path, DicomReadOptions? options = null) =>
        Task.Run(() => Open(path, options ?? DicomReadOptions.Default), options?.CancellationToken ?? default);

    /// <summary>
    /// Reads from a stream asynchronously. The parser itself is synchronous; the bytes are buffered first
    /// when the stream is not seekable (e.g. a network stream) so that no thread blocks on I/O.
    /// </summary>
    public static async Task<DicomFile> OpenAsync(Stream stream, DicomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= DicomReadOptions.Default;
        if (stream.CanSeek) return await Task.Run(() => Open(stream, options), options.CancellationToken).ConfigureAwait(false);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, options.CancellationToken).ConfigureAwait(false);
        buffer.Position = 0;
        return Open(buffer, options);
    }

    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Save(fs);
    }

    public async Task SaveAsync(string path, CancellationToken cancellationToken = default)
    {
        var buffer = new MemoryStream();
        Save(buffer);
        buffer.Position = 0;
        await using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        await buffer.CopyToAsync(fs, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes preamble, meta (explicit VR little endian, group length recomputed) and the data set.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (IsPartial) throw new DicomDataException("This file was read only up to a stop tag; saving it would drop the rest.");
        var syntax = FileMetaInfo.TransferSyntax;
        if (!syntax.IsEncapsulated && Dataset.Any(i => i is DicomFragmentSequence))
            throw new DicomDataException($"Encapsulated pixel data cannot be written in {syntax.UID.Name}.");

        stream.Write(Preamble.Length == 128 ? Preamble : new byte[128]);
        stream.Write("DICM"u8);

        var meta = new DicomFileMetaInformation();
        foreach (var item in FileMetaInfo)
            if (item.Tag.Element != 0x0000) meta.AddOrUpdate(item);
        // PS3.10 7.1 requires these; fill what a data set built or read without meta lacks.
        if (!meta.Contains(DicomTag.FileMetaInformationVersion))
            meta.Add<byte>(DicomVR.OB, DicomTag.FileMetaInformationVersion, 0x00, 0x01);
        if (!meta.Contains(DicomTag.MediaStorageSOPClassUID) && Dataset.TryGetString(DicomTag.SOPClassUID, out var sopClass))
            meta.AddOrUpdate(DicomVR.UI, DicomTag.MediaStorageSOPClassUID, sopClass);
        if (!meta.Contains(DicomTag.MediaStorageSOPInstanceUID) && Dataset.TryGetString(DicomTag.SOPInstanceUID, out var sop))
            meta.AddOrUpdate(DicomVR.UI, DicomTag.MediaStorageSOPInstanceUID, sop);
        meta.TransferSyntax = syntax;
        if (!meta.Contains(DicomTag.ImplementationClassUID))
            meta.AddOrUpdate(DicomVR.UI, DicomTag.ImplementationClassUID, DicomFileMetaInformation.HalflifeImplementationClassUID.UID);
        var groupLength = meta.OfType<DicomElement>()
            .Sum(e => DicomDatasetWriter.EncodedLength(e, true, Text.DicomCharacterSet.Default));
        meta.AddOrUpdate(DicomVR.UL, DicomTag.FileMetaInformationGroupLength, (uint)groupLength);
        new DicomDatasetWriter(stream, true, false).Write(meta);

        if (syntax.IsDeflate)
        {
            using var deflate = new DeflateStream(stream, CompressionLevel.Optimal, leaveOpen: true);
            new DicomDatasetWriter(deflate, syntax).Write(Dataset);
        }
        else
        {
            new DicomDatasetWriter(stream, syntax).Write(Dataset);
        }
        stream.Flush();
    }

    public override string ToString() => $"DicomFile {FileMetaInfo.TransferSyntax.UID.Name}, {Dataset.Count} elements";
}
