using Halflife.Restore.Derived;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Halflife.Restore.Migrations;

// Hand-written (no EF design-time tooling here); provider-neutral column types.
[DbContext(typeof(RestoreDbContext))]
[Migration("20261121000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable(
            name: "derived_instances",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                SourceInstanceId = t.Column<Guid>(nullable: false),
                StudyInstanceUid = t.Column<string>(nullable: false),
                SourceSopInstanceUid = t.Column<string>(nullable: false),
                DerivedSopInstanceUid = t.Column<string>(nullable: false),
                SourceBlobKey = t.Column<string>(nullable: false),
                BlobKey = t.Column<string>(nullable: false),
                ModelName = t.Column<string>(nullable: false),
                ModelVersion = t.Column<string>(nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_derived_instances", d => d.Id));
        migration.CreateIndex("ix_derived_instances_source", "derived_instances", "SourceInstanceId");
        migration.CreateIndex("ix_derived_instances_study", "derived_instances", "StudyInstanceUid");
        migration.CreateIndex("ix_derived_instances_derived_sop", "derived_instances", "DerivedSopInstanceUid", unique: true);
        migration.CreateMessagingTables();
    }
}
