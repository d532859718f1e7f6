namespace Halflife.Auth.Users;

public sealed class User
{
    public Guid Id { get; set; }
    public string UserName { get; set; } = "";
    /// <summary>"pbkdf2-sha256$iterations$salt$hash" (base64), see <see cref="PasswordHasher"/>.</summary>
    public string PasswordHash { get; set; } = "";
    /// <summary>Comma-separated role names (admin, radiologist, pathologist, technologist, researcher, machine).</summary>
    public string Roles { get; set; } = "";
    public int FailedLogins { get; set; }
    public DateTime? LockedUntil { get; set; }
    public DateTime CreatedAt { get; set; }
}
