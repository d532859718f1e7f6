using Halflife.Auth.Users;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Halflife.Auth.Migrations;

// Hand-written (no EF design-time tooling here); provider-neutral columns, provider-specific audit triggers.
[DbContext(typeof(AuthDbContext))]
[Migration("20261122000000_Security")]
public sealed class Security : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.AddColumn<string>("DisplayName", "users", nullable: true);
        migration.AddColumn<string>("Email", "users", nullable: true);
        migration.AddColumn<bool>("Disabled", "users", nullable: false, defaultValue: false);

        migration.CreateTable("external_logins", t => new
        {
            Provider = t.Column<string>(maxLength: 64, nullable: false),
            Subject = t.Column<string>(maxLength: 200, nullable: false),
            UserId = t.Column<Guid>(nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_external_logins", x => new { x.Provider, x.Subject }));

        migration.CreateTable("projects", t => new
        {
            Id = t.Column<string>(maxLength: 64, nullable: false),
            Name = t.Column<string>(nullable: false),
            Description = t.Column<string>(nullable: true),
            CreatedAt = t.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_projects", x => x.Id));

        migration.CreateTable("project_members", t => new
        {
            ProjectId = t.Column<string>(maxLength: 64, nullable: false),
            UserId = t.Column<Guid>(nullable: false),
            AddedAt = t.Column<DateTime>(nullable: false),
        }, constraints: t => t.PrimaryKey("pk_project_members", x => new { x.ProjectId, x.UserId }));
        migration.CreateIndex("ix_project_members_user", "project_members", "UserId");

        migration.CreateTable("refresh_tokens", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            FamilyId = t.Column<Guid>(nullable: false),
            UserId = t.Column<Guid>(nullable: false),
            TokenHash = t.Column<string>(maxLength: 64, nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
            ExpiresAt = t.Column<DateTime>(nullable: false),
            UsedAt = t.Column<DateTime>(nullable: true),
            RevokedAt = t.Column<DateTime>(nullable: true),
        }, constraints: t => t.PrimaryKey("pk_refresh_tokens", x => x.Id));
        migration.CreateIndex("ix_refresh_tokens_hash", "refresh_tokens", "TokenHash", unique: true);
        migration.CreateIndex("ix_refresh_tokens_family", "refresh_tokens", "FamilyId");

        migration.CreateTable("signing_keys", t => new
        {
            Kid = t.Column<string>(maxLength: 64, nullable: false),
            Algorithm = t.Column<string>(nullable: false),
            PublicKey = t.Column<string>(nullable: false),
            ProtectedPrivateKey = t.Column<string>(nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
            RetiredAt = t.Column<DateTime>(nullable: true),
            ExpiresAt = t.Column<DateTime>(nullable: true),
        }, constraints: t => t.PrimaryKey("pk_signing_keys", x => x.Kid));

        migration.CreateTable("api_keys", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Prefix = t.Column<string>(maxLength: 32, nullable: false),
            SecretHash = t.Column<string>(nullable: false),
            Name = t.Column<string>(nullable: false),
            Scopes = t.Column<string>(nullable: false),
            Projects = t.Column<string>(nullable: false),
            CreatedBy = t.Column<string>(nullable: false),
            CreatedAt = t.Column<DateTime>(nullable: false),
            ExpiresAt = t.Column<DateTime>(nullable: true),
            LastUsedAt = t.Column<DateTime>(nullable: true),
            RevokedAt = t.Column<DateTime>(nullable: true),
        }, constraints: t => t.PrimaryKey("pk_api_keys", x => x.Id));
        migration.CreateIndex("ix_api_keys_prefix", "api_keys", "Prefix", unique: true);

        migration.CreateTable("audit_records", t => new
        {
            Id = t.Column<Guid>(nullable: false),
            At = t.Column<DateTime>(nullable: false),
            UserId = t.Column<string>(nullable: true),
            UserName = t.Column<string>(nullable: false),
            Action = t.Column<string>(nullable: false),
            ResourceType = t.Column<string>(nullable: false),
            ResourceId = t.Column<string>(nullable: false),
            ProjectId = t.Column<string>(nullable: true),
            Outcome = t.Column<string>(nullable: false),
            ClientIp = t.Column<string>(nullable: true),
            UserAgent = t.Column<string>(nullable: true),
            Service = t.Column<string>(nullable: false),
            Details = t.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("pk_audit_records", x => x.Id));
        migration.CreateIndex("ix_audit_records_at", "audit_records", "At");
        migration.CreateIndex("ix_audit_records_user", "audit_records", "UserName");
        migration.CreateIndex("ix_audit_records_resource", "audit_records", ["ResourceType", "ResourceId"]);

        // Append-only in the database itself, so not even a bug or a hand-written query in this service can rewrite history.
        if (ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL")
        {
            migration.Sql("""
                CREATE FUNCTION audit_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit_records is append-only'; END $$;
                CREATE TRIGGER audit_records_no_change BEFORE UPDATE OR DELETE ON audit_records
                    FOR EACH ROW EXECUTE FUNCTION audit_records_append_only();
                CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON audit_records
                    FOR EACH STATEMENT EXECUTE FUNCTION audit_records_append_only();
                """);
        }
        else
        {
            migration.Sql("""
                CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records
                BEGIN SELECT RAISE(ABORT, 'audit_records is append-only'); END;
                """);
            migration.Sql("""
                CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON audit_records
                BEGIN SELECT RAISE(ABORT, 'audit_records is append-only'); END;
                """);
        }
    }
}
