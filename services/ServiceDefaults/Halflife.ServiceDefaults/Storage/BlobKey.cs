using System.Text.RegularExpressions;

namespace Halflife.ServiceDefaults.Storage;

/// <summary>
/// Keys are path-like ("ingest/instances/ab/abcdef.dcm"). They are validated before any store sees them so that a
/// key coming from a request can never escape the store's root folder or bucket prefix.
/// </summary>
public static partial class BlobKey
{
    public const int MaxLength = 512;

    public static string Validate(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaxLength || !SafeKey().IsMatch(key)
            || key.Contains("..", StringComparison.Ordinal) || key.Contains("//", StringComparison.Ordinal) || key.EndsWith('/'))
        {
            throw new ArgumentException($"'{key}' is not a valid blob key (lower-case letters, digits, '/', '.', '_', '-'; no '..').", nameof(key));
        }
        return key;
    }

    public static string ValidatePrefix(string prefix)
    {
        if (prefix.Length == 0) return prefix;
        if (prefix.Length > MaxLength || !SafeKey().IsMatch(prefix) || prefix.Contains("..", StringComparison.Ordinal))
            throw new ArgumentException($"'{prefix}' is not a valid blob key prefix.", nameof(prefix));
        return prefix;
    }

    /// <summary>Spreads content-addressed blobs over sub-folders ("ab/abcdef…") so no folder grows too large.</summary>
    public static string ForHash(string prefix, string sha256Hex, string extension) =>
        Validate($"{prefix}/{sha256Hex[..2]}/{sha256Hex}{extension}");

    [GeneratedRegex("^[a-z0-9][a-z0-9/._-]*$")]
    private static partial Regex SafeKey();
}
