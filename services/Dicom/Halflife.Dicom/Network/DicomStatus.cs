namespace Halflife.Dicom.Network;

/// <summary>Status class of a DIMSE response (PS3.7 annex C).</summary>
public enum DicomStatusState
{
    Success,
    Warning,
    Failure,
    Cancel,
    Pending,
}

/// <summary>
/// A DIMSE status code with an optional Error Comment (0000,0902). Named values follow PS3.4 B.2.3 (Storage) and
/// PS3.7 C (general statuses).
/// </summary>
public readonly record struct DicomStatus(ushort Code, string? ErrorComment = null)
{
    public static DicomStatus Success { get; } = new(0x0000);
    public static DicomStatus Cancel { get; } = new(0xFE00);
    public static DicomStatus OutOfResources { get; } = new(0xA700);
    public static DicomStatus DataSetDoesNotMatchSopClass { get; } = new(0xA900);
    public static DicomStatus CannotUnderstand { get; } = new(0xC000);
    public static DicomStatus CoercionOfDataElements { get; } = new(0xB000);
    public static DicomStatus ElementsDiscarded { get; } = new(0xB006);
    public static DicomStatus DataSetDoesNotMatchSopClassWarning { get; } = new(0xB007);
    public static DicomStatus ProcessingFailure { get; } = new(0x0110);
    public static DicomStatus DuplicateSopInstance { get; } = new(0x0111);
    public static DicomStatus MissingAttribute { get; } = new(0x0120);
    public static DicomStatus SopClassNotSupported { get; } = new(0x0122);
    public static DicomStatus UnrecognizedOperation { get; } = new(0x0211);

    public DicomStatusState State => Code switch
    {
        0x0000 => DicomStatusState.Success,
        0xFE00 => DicomStatusState.Cancel,
        0xFF00 or 0xFF01 => DicomStatusState.Pending,
        0x0001 or 0x0107 or 0x0116 or (>= 0xB000 and <= 0xBFFF) => DicomStatusState.Warning,
        _ => DicomStatusState.Failure,
    };

    /// <summary>A copy with an error comment; comments longer than LO's 64 characters are cut.</summary>
    public DicomStatus WithComment(string comment) =>
        this with { ErrorComment = comment.Length > 64 ? comment[..64] : comment };

    public override string ToString() =>
        ErrorComment is null ? $"{Code:X4} ({State})" : $"{Code:X4} ({State}): {ErrorComment}";
}
