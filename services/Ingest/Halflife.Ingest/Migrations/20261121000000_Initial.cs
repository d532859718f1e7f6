using Halflife.Ingest.Catalogue;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Halflife.Ingest.Migrations;

// Written by hand: EF's design-time tooling does not restore here (docs/dependencies.md). Column types are left to
// the provider's default mapping so the same migration serves SQLite and PostgreSQL.
[DbContext(typeof(IngestDbContext))]
[Migration("20261121000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable(
            name: "studies",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                StudyInstanceUid = t.Column<string>(maxLength: 64, nullable: false),
                PatientId = t.Column<string>(nullable: true),
                PatientName = t.Column<string>(nullable: true),
                StudyDate = t.Column<string>(nullable: true),
                AccessionNumber = t.Column<string>(nullable: true),
                StudyDescription = t.Column<string>(nullable: true),
                ProjectId = t.Column<string>(nullable: true),
                CreatedAt = t.Column<DateTime>(nullable: false),
                LastInstanceAt = t.Column<DateTime>(nullable: false),
                CompletedAt = t.Column<DateTime>(nullable: true),
            },
            constraints: t => t.PrimaryKey("pk_studies", s => s.Id));
        migration.CreateIndex("ix_studies_study_instance_uid", "studies", "StudyInstanceUid", unique: true);
        migration.CreateIndex("ix_studies_patient_id", "studies", "PatientId");
        migration.CreateIndex("ix_studies_accession_number", "studies", "AccessionNumber");
        migration.CreateIndex("ix_studies_study_date", "studies", "StudyDate");

        migration.CreateTable(
            name: "series",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                StudyId = t.Column<Guid>(nullable: false),
                SeriesInstanceUid = t.Column<string>(maxLength: 64, nullable: false),
                Modality = t.Column<string>(nullable: true),
                SeriesDescription = t.Column<string>(nullable: true),
                SeriesNumber = t.Column<int>(nullable: true),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_series", s => s.Id);
                t.ForeignKey("fk_series_studies", s => s.StudyId, "studies", "Id", onDelete: ReferentialAction.Cascade);
            });
        migration.CreateIndex("ix_series_series_instance_uid", "series", "SeriesInstanceUid", unique: true);
        migration.CreateIndex("ix_series_study_id", "series", "StudyId");

        migration.CreateTable(
            name: "instances",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                SeriesId = t.Column<Guid>(nullable: false),
                SopInstanceUid = t.Column<string>(maxLength: 64, nullable: false),
                SopClassUid = t.Column<string>(nullable: false),
                TransferSyntaxUid = t.Column<string>(nullable: false),
                InstanceNumber = t.Column<int>(nullable: true),
                BlobKey = t.Column<string>(nullable: false),
                Sha256 = t.Column<string>(nullable: false),
                SizeBytes = t.Column<long>(nullable: false),
                Source = t.Column<string>(nullable: false),
                ReceivedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t =>
            {
                t.PrimaryKey("pk_instances", i => i.Id);
                t.ForeignKey("fk_instances_series", i => i.SeriesId, "series", "Id", onDelete: ReferentialAction.Cascade);
            });
        migration.CreateIndex("ix_instances_sop_instance_uid", "instances", "SopInstanceUid", unique: true);
        migration.CreateIndex("ix_instances_series_id", "instances", "SeriesId");

        migration.CreateMessagingTables();
    }
}
