using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Halflife.Reporting.Export;

/// <summary>
/// Keyed pseudonyms (HMAC-SHA256): the same key gives the same patient pseudonym, date shift and UIDs in every
/// export, so data sets exported at different times can be joined, while nobody without the key can recompute them
/// from a patient ID. Different keys give unrelated values.
/// </summary>
public sealed class Pseudonymizer(byte[] key, int maxShiftDays)
{
    public string KeyFingerprint { get; } = Convert.ToHexStringLower(SHA256.HashData(key))[..16];

    public string Patient(string patientId) => "HL-" + Convert.ToHexString(Mac("patient", patientId))[..12];

    /// <summary>Days to move this patient's dates back: 1..maxShiftDays, the same for all of the patient's scans.</summary>
    public int DateShiftDays(string patientId) => 1 + (int)(BitConverter.ToUInt32(Mac("date-shift", patientId), 0) % (uint)maxShiftDays);

    /// <summary>A UID under 2.25 from 128 bits of the MAC of the original: consistent across files and exports.</summary>
    public string Uid(string uid)
    {
        var mac = Mac("uid", uid.Trim());
        return "2.25." + new BigInteger(mac.AsSpan(0, 16), isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public string PairId(string patientId, string scanDate) => "PAIR-" + Convert.ToHexString(Mac("pair", patientId + "|" + scanDate))[..10];

    private byte[] Mac(string purpose, string value) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(purpose + "\0" + value));
}
