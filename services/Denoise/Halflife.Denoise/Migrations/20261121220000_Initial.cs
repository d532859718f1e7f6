using Halflife.Denoise.Denoised;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Halflife.Denoise.Migrations;

// Hand-written (no EF design-time tooling here); provider-neutral column types.
[DbContext(typeof(DenoiseDbContext))]
[Migration("20261121220000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable(
            name: "denoised_instances",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                SourceInstanceId = t.Column<Guid>(nullable: false),
                StudyInstanceUid = t.Column<string>(nullable: false),
                SourceSopInstanceUid = t.Column<string>(nullable: false),
                DenoisedSopInstanceUid = t.Column<string>(nullable: false),
                DenoisedSeriesInstanceUid = t.Column<string>(nullable: false),
                SourceBlobKey = t.Column<string>(nullable: false),
                BlobKey = t.Column<string>(nullable: false),
                Method = t.Column<string>(nullable: false),
                Parameters = t.Column<string>(nullable: false),
                Frames = t.Column<int>(nullable: false),
                Width = t.Column<int>(nullable: false),
                Height = t.Column<int>(nullable: false),
                Milliseconds = t.Column<double>(nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_denoised_instances", d => d.Id));
        migration.CreateIndex("ix_denoised_instances_source", "denoised_instances", "SourceInstanceId");
        migration.CreateIndex("ix_denoised_instances_study", "denoised_instances", "StudyInstanceUid");
        migration.CreateIndex("ix_denoised_instances_denoised_sop", "denoised_instances", "DenoisedSopInstanceUid", unique: true);
        migration.CreateMessagingTables();
    }
}
