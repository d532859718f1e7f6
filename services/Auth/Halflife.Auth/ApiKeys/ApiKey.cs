namespace Halflife.Auth.ApiKeys;

/// <summary>
/// A key for a machine client: shown once at creation ("hlk_{prefix}_{secret}"), stored as the SHA-256 of the whole
/// key, found by its prefix. Scopes are the roles it acts with; projects limit the data it sees.
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }
    public string Prefix { get; set; } = "";
    public string SecretHash { get; set; } = "";
    public string Name { get; set; } = "";
    public string Scopes { get; set; } = "";
    public string Projects { get; set; } = "";
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}
