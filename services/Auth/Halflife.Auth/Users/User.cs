namespace Halflife.Auth.Users;

public sealed class User
{
    public Guid Id { get; set; }
    public string UserName { get; set; } = "";
    public string? DisplayName { get; set; }
    public string? Email { get; set; }
    /// <summary>"pbkdf2-sha256$iterations$salt$hash" (base64), see <see cref="PasswordHasher"/>; empty for users who only sign in externally.</summary>
    public string PasswordHash { get; set; } = "";
    /// <summary>Comma-separated role names (admin, radiologist, pathologist, technologist, researcher, machine).</summary>
    public string Roles { get; set; } = "";
    public int FailedLogins { get; set; }
    public DateTime? LockedUntil { get; set; }
    /// <summary>A disabled user cannot log in or refresh; tokens already issued expire within minutes.</summary>
    public bool Disabled { get; set; }
    public DateTime CreatedAt { get; set; }

    public IReadOnlyList<string> RoleList => Roles.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>An identity at an external provider (Kakao, an OpenID Connect server) linked to a local user.</summary>
public sealed class ExternalLogin
{
    public string Provider { get; set; } = "";
    public string Subject { get; set; } = "";
    public Guid UserId { get; set; }
    public DateTime CreatedAt { get; set; }
}
