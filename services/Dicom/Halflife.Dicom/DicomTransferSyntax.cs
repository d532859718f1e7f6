namespace Halflife.Dicom;

public enum Endian
{
    Little,
    Big,
}

/// <summary>How a data set is encoded: VR explicit or implicit, byte order, deflate, encapsulated pixel data.</summary>
public sealed class DicomTransferSyntax : IEquatable<DicomTransferSyntax>
{
    private DicomTransferSyntax(DicomUID uid, bool explicitVR, Endian endian, bool deflate, bool encapsulated, bool lossy)
    {
        UID = uid;
        IsExplicitVR = explicitVR;
        Endian = endian;
        IsDeflate = deflate;
        IsEncapsulated = encapsulated;
        IsLossy = lossy;
    }

    public DicomUID UID { get; }
    public bool IsExplicitVR { get; }
    public Endian Endian { get; }
    public bool IsDeflate { get; }

    /// <summary>Pixel data is a sequence of fragments (compressed or encapsulated uncompressed).</summary>
    public bool IsEncapsulated { get; }
    public bool IsLossy { get; }

    public static readonly DicomTransferSyntax ImplicitVRLittleEndian = new(DicomUID.ImplicitVRLittleEndian, false, Endian.Little, false, false, false);
    public static readonly DicomTransferSyntax ExplicitVRLittleEndian = new(DicomUID.ExplicitVRLittleEndian, true, Endian.Little, false, false, false);
    public static readonly DicomTransferSyntax ExplicitVRBigEndian = new(DicomUID.ExplicitVRBigEndian, true, Endian.Big, false, false, false);
    public static readonly DicomTransferSyntax DeflatedExplicitVRLittleEndian = new(DicomUID.DeflatedExplicitVRLittleEndian, true, Endian.Little, true, false, false);
    public static readonly DicomTransferSyntax RLELossless = Encapsulated(DicomUID.RLELossless, false);
    public static readonly DicomTransferSyntax JPEGProcess1 = Encapsulated(DicomUID.JPEGBaseline8Bit, true);
    public static readonly DicomTransferSyntax JPEGProcess2_4 = Encapsulated(DicomUID.JPEGExtended12Bit, true);
    public static readonly DicomTransferSyntax JPEGProcess14 = Encapsulated(DicomUID.JPEGLossless, false);
    public static readonly DicomTransferSyntax JPEGProcess14SV1 = Encapsulated(DicomUID.JPEGLosslessSV1, false);
    public static readonly DicomTransferSyntax JPEGLSLossless = Encapsulated(DicomUID.JPEGLSLossless, false);
    public static readonly DicomTransferSyntax JPEGLSNearLossless = Encapsulated(DicomUID.JPEGLSNearLossless, true);
    public static readonly DicomTransferSyntax JPEG2000Lossless = Encapsulated(DicomUID.JPEG2000Lossless, false);
    public static readonly DicomTransferSyntax JPEG2000Lossy = Encapsulated(DicomUID.JPEG2000, true);

    private static readonly Dictionary<string, DicomTransferSyntax> Known = new[]
    {
        ImplicitVRLittleEndian, ExplicitVRLittleEndian, ExplicitVRBigEndian, DeflatedExplicitVRLittleEndian,
        RLELossless, JPEGProcess1, JPEGProcess2_4, JPEGProcess14, JPEGProcess14SV1, JPEGLSLossless,
        JPEGLSNearLossless, JPEG2000Lossless, JPEG2000Lossy,
    }.ToDictionary(t => t.UID.UID, StringComparer.Ordinal);

    private static DicomTransferSyntax Encapsulated(DicomUID uid, bool lossy) =>
        new(uid, true, Endian.Little, false, true, lossy);

    /// <summary>
    /// The transfer syntax for a UID. Registry transfer syntaxes not listed above (MPEG, HTJ2K, JPIP,
    /// deflated image frame compression, ...) are explicit VR little endian with encapsulated pixel data;
    /// an unknown private UID is assumed to be the same, which is what PS3.5 10 requires of any
    /// transfer syntax other than the three native ones.
    /// </summary>
    public static DicomTransferSyntax Parse(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        var trimmed = uid.TrimEnd('\0', ' ');
        lock (Known)
        {
            if (Known.TryGetValue(trimmed, out var ts)) return ts;
            var encapsulated = new DicomTransferSyntax(DicomUID.Parse(trimmed), true, Endian.Little, false, true, false);
            Known[trimmed] = encapsulated;
            return encapsulated;
        }
    }

    public static DicomTransferSyntax Lookup(DicomUID uid) => Parse(uid.UID);

    public bool Equals(DicomTransferSyntax? other) => other is not null && other.UID.Equals(UID);
    public override bool Equals(object? obj) => obj is DicomTransferSyntax t && Equals(t);
    public override int GetHashCode() => UID.GetHashCode();
    public static bool operator ==(DicomTransferSyntax? a, DicomTransferSyntax? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(DicomTransferSyntax? a, DicomTransferSyntax? b) => !(a == b);
    public override string ToString() => UID.ToString();
}
