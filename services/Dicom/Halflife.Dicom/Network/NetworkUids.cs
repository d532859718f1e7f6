namespace Halflife.Dicom.Network;

/// <summary>
/// UIDs the network layer needs on its own. Kept here (not in the data dictionary) so the upper layer does
/// not depend on the dataset half of the library.
/// </summary>
public static class NetworkUids
{
    public const string ApplicationContext = "1.2.840.10008.3.1.1.1";
    public const string Verification = "1.2.840.10008.1.1";

    public const string ImplicitVrLittleEndian = "1.2.840.10008.1.2";
    public const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";
    public const string DeflatedExplicitVrLittleEndian = "1.2.840.10008.1.2.1.99";
    public const string ExplicitVrBigEndian = "1.2.840.10008.1.2.2";
    public const string RleLossless = "1.2.840.10008.1.2.5";

    /// <summary>Our implementation class UID, sent in every A-ASSOCIATE-RQ/AC (2.25 = UUID-derived root).</summary>
    public const string ImplementationClassUid = "2.25.208833425614398766107306392049418453013";
    public const string ImplementationVersionName = "HALFLIFE_NET_1";
}
