namespace Halflife.Dicom.Network;

/// <summary>
/// Which transfer syntaxes the SCP accepts and in which order it prefers them. Because received data sets are stored
/// as they arrive (no re-encoding), accepting an encapsulated syntax as proposed is cheaper and lossless compared to
/// making the sender decompress; so the default order puts the compressed syntaxes first and the native ones after.
/// </summary>
public static class TransferSyntaxPolicy
{
    /// <summary>Native (uncompressed) syntaxes, ours first: Explicit LE, Implicit LE, Deflated, Big Endian (retired).</summary>
    public static readonly IReadOnlyList<string> Native =
    [
        NetworkUids.ExplicitVrLittleEndian,
        NetworkUids.ImplicitVrLittleEndian,
        NetworkUids.DeflatedExplicitVrLittleEndian,
        NetworkUids.ExplicitVrBigEndian,
    ];

    /// <summary>Encapsulated syntaxes from PS3.5 Table A-4 and later supplements (JPEG, JPEG-LS, J2K, HTJ2K, RLE, MPEG, HEVC, JPEG XL, deflated image frames).</summary>
    public static readonly IReadOnlyList<string> Encapsulated =
    [
        "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70",
        "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81",
        "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.92", "1.2.840.10008.1.2.4.93",
        "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203",
        NetworkUids.RleLossless,
        "1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.101", "1.2.840.10008.1.2.4.102", "1.2.840.10008.1.2.4.103",
        "1.2.840.10008.1.2.4.104", "1.2.840.10008.1.2.4.105", "1.2.840.10008.1.2.4.106", "1.2.840.10008.1.2.4.107",
        "1.2.840.10008.1.2.4.108",
        "1.2.840.10008.1.2.4.110", "1.2.840.10008.1.2.4.111", "1.2.840.10008.1.2.4.112",
        "1.2.840.10008.1.2.8.1",
    ];

    /// <summary>Default preference: keep what the sender has when it is compressed, else our native order.</summary>
    public static readonly IReadOnlyList<string> DefaultPreference = [.. Encapsulated, .. Native];

    /// <summary>
    /// Picks the transfer syntax to accept: the first entry of <paramref name="preference"/> that the requestor proposed.
    /// Returns null when none matches (the presentation context is then rejected with reason 4).
    /// </summary>
    public static string? Select(IReadOnlyList<string> proposed, IReadOnlyList<string> preference)
    {
        foreach (var candidate in preference)
        {
            foreach (var offered in proposed)
            {
                if (string.Equals(candidate, offered, StringComparison.Ordinal))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    /// <summary>
    /// Storage SOP classes live under a few roots of the DICOM UID space; everything outside the DICOM root (private
    /// SOP classes of vendors) is accepted too because a storage SCP that keeps bytes as received can store them.
    /// </summary>
    public static bool IsStorageOrVerification(string abstractSyntax)
    {
        if (abstractSyntax == NetworkUids.Verification)
        {
            return true;
        }
        if (!abstractSyntax.StartsWith("1.2.840.10008.", StringComparison.Ordinal))
        {
            return true;
        }
        return StorageRoots.Any(root => abstractSyntax.StartsWith(root, StringComparison.Ordinal));
    }

    private static readonly string[] StorageRoots =
    [
        "1.2.840.10008.5.1.4.1.1.",     // composite image and object storage
        "1.2.840.10008.5.1.4.34.7",     // RT beams delivery instruction storage
        "1.2.840.10008.5.1.4.34.10",    // RT patient position acquisition instruction storage
        "1.2.840.10008.5.1.4.38.1",     // hanging protocol storage
        "1.2.840.10008.5.1.4.39.1",     // color palette storage
        "1.2.840.10008.5.1.4.43.1",     // generic implant template storage
        "1.2.840.10008.5.1.4.44.1",     // implant assembly template storage
        "1.2.840.10008.5.1.4.45.1",     // implant template group storage
    ];
}
