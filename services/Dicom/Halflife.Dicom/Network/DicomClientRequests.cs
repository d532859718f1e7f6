namespace Halflife.Dicom.Network;

/// <summary>The outcome of one request sent by <see cref="DicomClient"/>.</summary>
public sealed record DicomResponse(DicomRequest Request, DicomStatus Status);

/// <summary>A DIMSE request queued on a <see cref="DicomClient"/>.</summary>
public abstract class DicomRequest
{
    public abstract string SopClassUid { get; }

    /// <summary>Transfer syntax the request's data set is encoded in (and the only one proposed for it).</summary>
    public abstract string TransferSyntaxUid { get; }

    /// <summary>Set when the response arrives (or when the request could not be sent).</summary>
    public DicomStatus? Status { get; internal set; }

    internal abstract DimseCommand CreateCommand(ushort messageId);

    /// <summary>Opens the data set to send, positioned at its first byte; null for requests without one.</summary>
    internal abstract Stream? OpenDataSet();
}

/// <summary>C-ECHO (Verification).</summary>
public sealed class DicomCEchoRequest : DicomRequest
{
    public override string SopClassUid => NetworkUids.Verification;
    public override string TransferSyntaxUid => NetworkUids.ImplicitVrLittleEndian;
    internal override DimseCommand CreateCommand(ushort messageId) => DimseCommand.CreateEchoRequest(messageId);
    internal override Stream? OpenDataSet() => null;
}

/// <summary>
/// C-STORE of a data set given as raw bytes in a known transfer syntax. Nothing is re-encoded: the bytes go on the
/// wire as they are, so the presentation context proposes exactly their transfer syntax.
/// </summary>
public sealed class DicomCStoreRequest : DicomRequest
{
    private readonly Func<Stream> _openDataSet;

    public DicomCStoreRequest(string sopClassUid, string sopInstanceUid, string transferSyntaxUid, Func<Stream> openDataSet)
    {
        ArgumentException.ThrowIfNullOrEmpty(sopClassUid);
        ArgumentException.ThrowIfNullOrEmpty(sopInstanceUid);
        ArgumentException.ThrowIfNullOrEmpty(transferSyntaxUid);
        SopClassUid = sopClassUid;
        SopInstanceUid = sopInstanceUid;
        TransferSyntaxUid = transferSyntaxUid;
        _openDataSet = openDataSet;
    }

    public DicomCStoreRequest(string sopClassUid, string sopInstanceUid, string transferSyntaxUid, ReadOnlyMemory<byte> dataSet)
        : this(sopClassUid, sopInstanceUid, transferSyntaxUid, () => new MemoryStream(dataSet.ToArray(), writable: false))
    {
    }

    /// <summary>Sends a Part 10 file's data set (everything after its File Meta Information).</summary>
    public static DicomCStoreRequest FromFile(string path)
    {
        var info = Part10MetaReader.Read(path);
        return new DicomCStoreRequest(info.SopClassUid, info.SopInstanceUid, info.TransferSyntaxUid, () =>
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920);
            stream.Position = info.DataSetOffset;
            return stream;
        });
    }

    public override string SopClassUid { get; }
    public string SopInstanceUid { get; }
    public override string TransferSyntaxUid { get; }
    public ushort Priority { get; init; }

    internal override DimseCommand CreateCommand(ushort messageId) =>
        DimseCommand.CreateStoreRequest(messageId, SopClassUid, SopInstanceUid, Priority);

    internal override Stream? OpenDataSet() => _openDataSet();
}
