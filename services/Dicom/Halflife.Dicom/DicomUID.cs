using System.Numerics;

namespace Halflife.Dicom;

/// <summary>A unique identifier (PS3.5 9) with its registry name where the standard defines one.</summary>
public sealed partial class DicomUID : IEquatable<DicomUID>
{
    // A nested holder, because the generated statics in the other half of this partial class may be
    // initialised before any field declared here (field order across partial files is unspecified).
    private static class Registry
    {
        public static readonly Dictionary<string, DicomUID> ByUid = new(StringComparer.Ordinal);
    }

    public DicomUID(string uid, string name, string type, bool isRetired = false, string keyword = "")
    {
        ArgumentNullException.ThrowIfNull(uid);
        UID = uid;
        Name = name;
        Type = type;
        IsRetired = isRetired;
        Keyword = keyword;
    }

    public string UID { get; }
    public string Name { get; }

    /// <summary>The registry's UID type: "SOP Class", "Transfer Syntax", ... or "" for instance UIDs.</summary>
    public string Type { get; }
    public bool IsRetired { get; }
    public string Keyword { get; }

    public bool IsTransferSyntax => Type == "Transfer Syntax";
    public bool IsSOPClass => Type == "SOP Class";

    private static DicomUID Register(string uid, string name, string type, bool retired, string keyword)
    {
        var u = new DicomUID(uid, name, type, retired, keyword);
        lock (Registry.ByUid) Registry.ByUid[uid] = u;
        return u;
    }

    /// <summary>A new UID under the 2.25 root: the decimal value of a random UUID (PS3.5 B.2).</summary>
    public static DicomUID Generate() => new(FromGuid(Guid.NewGuid()), "", "");

    /// <summary>A deterministic UID derived from a UUID, e.g. to make a repeatable derived instance UID.</summary>
    public static string FromGuid(Guid guid)
    {
        Span<byte> bytes = stackalloc byte[16];
        guid.TryWriteBytes(bytes, bigEndian: true, out _);
        return "2.25." + new BigInteger(bytes, isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The registry entry for a UID string, or a new unnamed UID when the registry does not know it.</summary>
    public static DicomUID Parse(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        var trimmed = uid.TrimEnd('\0', ' ');
        EnsureRegistered();
        lock (Registry.ByUid)
            return Registry.ByUid.TryGetValue(trimmed, out var known) ? known : new DicomUID(trimmed, "", "");
    }

    /// <summary>PS3.5 9.1: digits and dots, no empty or zero-led components, at most 64 characters.</summary>
    public static bool IsValid(string uid)
    {
        if (string.IsNullOrEmpty(uid) || uid.Length > 64) return false;
        foreach (var part in uid.Split('.'))
        {
            if (part.Length == 0 || (part.Length > 1 && part[0] == '0')) return false;
            foreach (var c in part) if (c is < '0' or > '9') return false;
        }
        return true;
    }

    // Touching a static field runs the generated initialisers, which register every known UID.
    private static void EnsureRegistered() => _ = Verification;

    public bool Equals(DicomUID? other) => other is not null && other.UID == UID;
    public override bool Equals(object? obj) => obj is DicomUID u && Equals(u);
    public override int GetHashCode() => UID.GetHashCode(StringComparison.Ordinal);
    public static bool operator ==(DicomUID? a, DicomUID? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(DicomUID? a, DicomUID? b) => !(a == b);
    public override string ToString() => Name.Length > 0 ? $"{Name} [{UID}]" : UID;
}
