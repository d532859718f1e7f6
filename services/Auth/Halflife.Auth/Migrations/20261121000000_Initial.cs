using Halflife.Auth.Users;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Halflife.Auth.Migrations;

// Hand-written (no EF design-time tooling here); provider-neutral column types.
[DbContext(typeof(AuthDbContext))]
[Migration("20261121000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable(
            name: "users",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                UserName = t.Column<string>(maxLength: 100, nullable: false),
                PasswordHash = t.Column<string>(nullable: false),
                Roles = t.Column<string>(nullable: false),
                FailedLogins = t.Column<int>(nullable: false),
                LockedUntil = t.Column<DateTime>(nullable: true),
                CreatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_users", u => u.Id));
        migration.CreateIndex("ix_users_user_name", "users", "UserName", unique: true);
    }
}
