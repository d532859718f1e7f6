using Halflife.Restore.Derived;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Halflife.Restore.Migrations;

// Hand-written (no EF design-time tooling here); provider-neutral column types.
[DbContext(typeof(RestoreDbContext))]
[Migration("20261121230000_Forwarding")]
public sealed class Forwarding : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable(
            name: "forwarding_jobs",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                DerivedInstanceId = t.Column<Guid>(nullable: false),
                SopInstanceUid = t.Column<string>(nullable: false),
                BlobKey = t.Column<string>(nullable: false),
                Host = t.Column<string>(nullable: false),
                Port = t.Column<int>(nullable: false),
                CalledAeTitle = t.Column<string>(nullable: false),
                CallingAeTitle = t.Column<string>(nullable: false),
                Status = t.Column<string>(maxLength: 16, nullable: false),
                Attempts = t.Column<int>(nullable: false),
                NextAttemptAt = t.Column<DateTime>(nullable: false),
                LeaseUntil = t.Column<DateTime>(nullable: true),
                LastStatusCode = t.Column<int>(nullable: true),
                LastError = t.Column<string>(nullable: true),
                TraceParent = t.Column<string>(nullable: true),
                CreatedAt = t.Column<DateTime>(nullable: false),
                CompletedAt = t.Column<DateTime>(nullable: true),
            },
            constraints: t => t.PrimaryKey("pk_forwarding_jobs", j => j.Id));
        migration.CreateIndex("ix_forwarding_jobs_status_next", "forwarding_jobs", ["Status", "NextAttemptAt"]);
        migration.CreateIndex("ix_forwarding_jobs_derived", "forwarding_jobs", "DerivedInstanceId");
    }
}
