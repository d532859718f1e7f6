namespace Halflife.Dicom.Network;

/// <summary>One proposed presentation context of an A-ASSOCIATE-RQ.</summary>
public sealed record PresentationContextProposal(byte Id, string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes);

/// <summary>
/// One presentation context as answered in an A-ASSOCIATE-AC. <see cref="AbstractSyntax"/> is not on the wire in the
/// AC; it is carried over from the matching proposal so both sides can look contexts up by SOP class.
/// </summary>
public sealed record PresentationContextAnswer(byte Id, PresentationContextResult Result, string? TransferSyntax, string AbstractSyntax = "");

/// <summary>Fields shared by A-ASSOCIATE-RQ and A-ASSOCIATE-AC (PS3.8 9.3.2/9.3.3 and the user information item).</summary>
public abstract class AssociationPduBase
{
    public ushort ProtocolVersion { get; set; } = 1;
    public string CalledAeTitle { get; set; } = "";
    public string CallingAeTitle { get; set; } = "";
    public string ApplicationContextName { get; set; } = NetworkUids.ApplicationContext;

    /// <summary>Largest P-DATA-TF variable field the sender of this PDU will accept; 0 means no limit.</summary>
    public uint MaxPduLength { get; set; }
    public string? ImplementationClassUid { get; set; }
    public string? ImplementationVersionName { get; set; }

    /// <summary>Asynchronous operations window (item 53); null when not present. 0 means unlimited.</summary>
    public (ushort Invoked, ushort Performed)? AsyncOperationsWindow { get; set; }
}

/// <summary>Decoded A-ASSOCIATE-RQ.</summary>
public sealed class AssociationRequest : AssociationPduBase
{
    public List<PresentationContextProposal> PresentationContexts { get; } = [];

    /// <summary>True when the requestor sent a user identity sub-item (58H). We do not authenticate by it.</summary>
    public bool HasUserIdentity { get; set; }

    /// <summary>True when that user identity item asked for a positive response (which we never send: PS3.7 D.3.3.7.2 allows that).</summary>
    public bool UserIdentityPositiveResponseRequested { get; set; }
}

/// <summary>Decoded A-ASSOCIATE-AC.</summary>
public sealed class AssociationAccept : AssociationPduBase
{
    public List<PresentationContextAnswer> PresentationContexts { get; } = [];
}
