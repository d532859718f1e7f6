namespace Halflife.Dicom.Network;

/// <summary>Base type of every error the DICOM upper layer raises.</summary>
public class DicomNetworkException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The peer broke the upper layer protocol (malformed or unexpected PDU). The association ends with an A-ABORT
/// carrying <see cref="Reason"/>.
/// </summary>
public sealed class DicomProtocolException(AbortReason reason, string message) : DicomNetworkException(message)
{
    public AbortReason Reason { get; } = reason;
}

/// <summary>The called application rejected the association (A-ASSOCIATE-RJ).</summary>
public sealed class DicomAssociationRejectedException(AssociationRejection rejection)
    : DicomNetworkException($"Association rejected: {rejection}")
{
    public AssociationRejection Rejection { get; } = rejection;
}

/// <summary>The peer aborted the association (A-ABORT received) or closed the connection without releasing.</summary>
public sealed class DicomAssociationAbortedException(AbortSource? source, AbortReason? reason, string message)
    : DicomNetworkException(message)
{
    public AbortSource? Origin { get; } = source;
    public AbortReason? Reason { get; } = reason;
}
