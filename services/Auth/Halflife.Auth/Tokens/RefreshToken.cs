namespace Halflife.Auth.Tokens;

/// <summary>
/// One opaque refresh token, stored as its SHA-256. Every refresh uses it up and issues the next one in the same
/// family; presenting a used or revoked one means it was stolen or replayed, and the whole family is revoked.
/// </summary>
public sealed class RefreshToken
{
    public Guid Id { get; set; }
    /// <summary>The login session: all tokens descended from one login.</summary>
    public Guid FamilyId { get; set; }
    public Guid UserId { get; set; }
    public string TokenHash { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

/// <summary>An ES256 signing key. The private half is encrypted with the key-encryption key (AES-GCM).</summary>
public sealed class SigningKey
{
    public string Kid { get; set; } = "";
    public string Algorithm { get; set; } = "ES256";
    /// <summary>SubjectPublicKeyInfo, base64.</summary>
    public string PublicKey { get; set; } = "";
    /// <summary>PKCS#8 private key encrypted by <see cref="KeyEncryption"/>.</summary>
    public string ProtectedPrivateKey { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    /// <summary>After this the key signs nothing new; it stays published until <see cref="ExpiresAt"/>.</summary>
    public DateTime? RetiredAt { get; set; }
    /// <summary>No token it signed can still be valid: removed from the key set.</summary>
    public DateTime? ExpiresAt { get; set; }
}
