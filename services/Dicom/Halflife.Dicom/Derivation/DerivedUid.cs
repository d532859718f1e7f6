using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Halflife.Dicom.Derivation;

/// <summary>
/// UIDs for derived objects under the UUID-derived root 2.25 (PS3.5 B.2). They are a hash of what the object is
/// derived from and how, so a redelivered message re-creates the same UID instead of a second copy.
/// </summary>
public static class DerivedUid
{
    public static string For(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0) throw new ArgumentException("A derived UID needs at least one part to hash.", nameof(parts));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        var uuid = hash.AsSpan(0, 16).ToArray();
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x80); // version 8: custom, name-based
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80); // RFC 4122 variant
        return "2.25." + new BigInteger(uuid, isUnsigned: true, isBigEndian: true).ToString(CultureInfo.InvariantCulture);
    }
}
