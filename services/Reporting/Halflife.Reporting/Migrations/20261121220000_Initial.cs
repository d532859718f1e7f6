using Halflife.Reporting.Data;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Halflife.Reporting.Migrations;

// Hand-written (no EF design-time tooling here); provider-neutral column types.
[DbContext(typeof(ReportingDbContext))]
[Migration("20261121220000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable(
            name: "studies",
            columns: t => new
            {
                StudyInstanceUid = t.Column<string>(nullable: false),
                PatientId = t.Column<string>(nullable: true),
                PatientName = t.Column<string>(nullable: true),
                PatientSex = t.Column<string>(nullable: true),
                PatientBirthDate = t.Column<string>(nullable: true),
                StudyDate = t.Column<string>(nullable: true),
                StudyTime = t.Column<string>(nullable: true),
                AccessionNumber = t.Column<string>(nullable: true),
                StudyDescription = t.Column<string>(nullable: true),
                InstitutionName = t.Column<string>(nullable: true),
                FirstReceivedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_studies", s => s.StudyInstanceUid));
        migration.CreateIndex("ix_studies_accession", "studies", "AccessionNumber");
        migration.CreateIndex("ix_studies_patient_date", "studies", ["PatientId", "StudyDate"]);

        migration.CreateTable(
            name: "series",
            columns: t => new
            {
                SeriesInstanceUid = t.Column<string>(nullable: false),
                StudyInstanceUid = t.Column<string>(nullable: false),
                PatientId = t.Column<string>(nullable: true),
                Modality = t.Column<string>(nullable: true),
                SeriesDescription = t.Column<string>(nullable: true),
                ScanDate = t.Column<string>(nullable: true),
                ScanTime = t.Column<string>(nullable: true),
                RadiopharmaceuticalStartTime = t.Column<string>(nullable: true),
                Radiopharmaceutical = t.Column<string>(nullable: true),
            },
            constraints: t => t.PrimaryKey("pk_series", s => s.SeriesInstanceUid));
        migration.CreateIndex("ix_series_study", "series", "StudyInstanceUid");
        migration.CreateIndex("ix_series_patient_date", "series", ["PatientId", "ScanDate"]);

        migration.CreateTable(
            name: "instances",
            columns: t => new
            {
                InstanceId = t.Column<Guid>(nullable: false),
                SopInstanceUid = t.Column<string>(nullable: false),
                SopClassUid = t.Column<string>(nullable: false),
                SeriesInstanceUid = t.Column<string>(nullable: false),
                StudyInstanceUid = t.Column<string>(nullable: false),
                BlobKey = t.Column<string>(nullable: false),
                SizeBytes = t.Column<long>(nullable: false),
                ReceivedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_instances", i => i.InstanceId));
        migration.CreateIndex("ix_instances_sop", "instances", "SopInstanceUid");
        migration.CreateIndex("ix_instances_series", "instances", "SeriesInstanceUid");
        migration.CreateIndex("ix_instances_study", "instances", "StudyInstanceUid");

        migration.CreateTable(
            name: "derived_images",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                Kind = t.Column<string>(nullable: false),
                SourceInstanceId = t.Column<Guid>(nullable: false),
                StudyInstanceUid = t.Column<string>(nullable: false),
                SourceSopInstanceUid = t.Column<string>(nullable: false),
                DerivedSopInstanceUid = t.Column<string>(nullable: true),
                BlobKey = t.Column<string>(nullable: false),
                ModelName = t.Column<string>(nullable: false),
                ModelVersion = t.Column<string>(nullable: true),
                CreatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_derived_images", d => d.Id));
        migration.CreateIndex("ix_derived_images_source", "derived_images", "SourceInstanceId");
        migration.CreateIndex("ix_derived_images_study", "derived_images", "StudyInstanceUid");

        migration.CreateTable(
            name: "reports",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                AccessionNumber = t.Column<string>(nullable: true),
                PatientId = t.Column<string>(nullable: true),
                StudyDate = t.Column<string>(nullable: true),
                StudyInstanceUid = t.Column<string>(nullable: true),
                LinkNote = t.Column<string>(nullable: true),
                CurrentVersion = t.Column<int>(nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
                UpdatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_reports", r => r.Id));
        migration.CreateIndex("ix_reports_accession", "reports", "AccessionNumber");
        migration.CreateIndex("ix_reports_patient_date", "reports", ["PatientId", "StudyDate"]);
        migration.CreateIndex("ix_reports_study", "reports", "StudyInstanceUid");

        migration.CreateTable(
            name: "report_versions",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                ReportId = t.Column<Guid>(nullable: false),
                Version = t.Column<int>(nullable: false),
                Source = t.Column<string>(nullable: false),
                ControlId = t.Column<string>(nullable: true),
                ResultStatus = t.Column<string>(nullable: false),
                Text = t.Column<string>(nullable: false),
                TextSha256 = t.Column<string>(nullable: false),
                Author = t.Column<string>(nullable: true),
                ParsedJson = t.Column<string>(nullable: false),
                ImpressionCategory = t.Column<string>(nullable: false),
                FindingCount = t.Column<int>(nullable: false),
                MetastasisSites = t.Column<string>(nullable: false),
                ReceivedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_report_versions", v => v.Id));
        migration.CreateIndex("ix_report_versions_report_version", "report_versions", ["ReportId", "Version"], unique: true);
        migration.CreateIndex("ix_report_versions_control", "report_versions", "ControlId");

        migration.CreateTable(
            name: "export_jobs",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                State = t.Column<string>(nullable: false),
                Stage = t.Column<string>(nullable: false),
                DaysDone = t.Column<int>(nullable: false),
                DaysTotal = t.Column<int>(nullable: false),
                PairsWritten = t.Column<int>(nullable: false),
                FilesWritten = t.Column<long>(nullable: false),
                RequestJson = t.Column<string>(nullable: false),
                Log = t.Column<string>(nullable: false),
                Error = t.Column<string>(nullable: true),
                CsvBlobKey = t.Column<string>(nullable: true),
                XlsxBlobKey = t.Column<string>(nullable: true),
                ZipBlobKey = t.Column<string>(nullable: true),
                KeyBlobKey = t.Column<string>(nullable: true),
                CreatedAt = t.Column<DateTime>(nullable: false),
                FinishedAt = t.Column<DateTime>(nullable: true),
            },
            constraints: t => t.PrimaryKey("pk_export_jobs", j => j.Id));

        migration.CreateMessagingTables();
    }
}
