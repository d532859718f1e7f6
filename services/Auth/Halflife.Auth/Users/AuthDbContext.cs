using Halflife.Auth.ApiKeys;
using Halflife.Auth.Audit;
using Halflife.Auth.Projects;
using Halflife.Auth.Tokens;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Auth.Users;

public sealed class AuthDbContext(DbContextOptions<AuthDbContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();
    public DbSet<ExternalLogin> ExternalLogins => Set<ExternalLogin>();
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<ProjectMember> ProjectMembers => Set<ProjectMember>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<User>(e =>
        {
            e.ToTable("users");
            e.HasIndex(u => u.UserName).IsUnique();
            e.Property(u => u.UserName).HasMaxLength(100);
            e.Ignore(u => u.RoleList);
        });
        model.Entity<ExternalLogin>(e =>
        {
            e.ToTable("external_logins");
            e.HasKey(x => new { x.Provider, x.Subject });
            e.Property(x => x.Provider).HasMaxLength(64);
            e.Property(x => x.Subject).HasMaxLength(200);
        });
        model.Entity<Project>(e =>
        {
            e.ToTable("projects");
            e.Property(p => p.Id).HasMaxLength(64);
        });
        model.Entity<ProjectMember>(e =>
        {
            e.ToTable("project_members");
            e.HasKey(m => new { m.ProjectId, m.UserId });
            e.HasIndex(m => m.UserId);
            e.Property(m => m.ProjectId).HasMaxLength(64);
        });
        model.Entity<RefreshToken>(e =>
        {
            e.ToTable("refresh_tokens");
            e.HasIndex(t => t.TokenHash).IsUnique();
            e.HasIndex(t => t.FamilyId);
            e.Property(t => t.TokenHash).HasMaxLength(64);
        });
        model.Entity<SigningKey>(e =>
        {
            e.ToTable("signing_keys");
            e.HasKey(k => k.Kid);
            e.Property(k => k.Kid).HasMaxLength(64);
        });
        model.Entity<ApiKey>(e =>
        {
            e.ToTable("api_keys");
            e.HasIndex(k => k.Prefix).IsUnique();
            e.Property(k => k.Prefix).HasMaxLength(32);
        });
        model.Entity<AuditRecord>(e =>
        {
            e.ToTable("audit_records");
            e.HasIndex(a => a.At);
            e.HasIndex(a => a.UserName);
            e.HasIndex(a => new { a.ResourceType, a.ResourceId });
        });
    }
}
