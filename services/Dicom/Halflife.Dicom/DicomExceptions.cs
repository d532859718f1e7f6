namespace Halflife.Dicom;

/// <summary>Base of every error this library raises on purpose.</summary>
public class DicomException : Exception
{
    public DicomException(string message) : base(message) { }
    public DicomException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>A value is missing, has the wrong shape, or cannot be converted or encoded.</summary>
public class DicomDataException : DicomException
{
    public DicomDataException(string message) : base(message) { }
    public DicomDataException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>
/// A file or stream is not valid DICOM where we read it. <see cref="Offset"/> is the byte position of the
/// problem (in the inflated data set for deflated files), so it can be checked with a hex dump.
/// </summary>
public class DicomFileException : DicomException
{
    public DicomFileException(string reason, long offset, Exception? inner = null)
        : base($"Invalid DICOM at offset {offset}: {reason}", inner)
    {
        Reason = reason;
        Offset = offset;
    }

    public string Reason { get; }
    public long Offset { get; }
}

/// <summary>Pixel data in a transfer syntax we cannot decode.</summary>
public class DicomCodecException : DicomException
{
    public DicomCodecException(string message) : base(message) { }
    public DicomCodecException(string message, Exception? inner) : base(message, inner) { }
}
