using Halflife.ServiceDefaults.Persistence.Outbox;
using Halflife.Slides.Catalogue;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Halflife.Slides.Migrations;

// Written by hand like Ingest's: EF's design-time tooling does not restore here. Provider-default column types so the
// same migration serves SQLite and PostgreSQL.
[DbContext(typeof(SlidesDbContext))]
[Migration("20261121000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable(
            name: "slides",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                Name = t.Column<string>(maxLength: 256, nullable: false),
                Description = t.Column<string>(nullable: true),
                Tags = t.Column<string>(nullable: false),
                FileName = t.Column<string>(nullable: false),
                BlobKey = t.Column<string>(nullable: false),
                Sha256 = t.Column<string>(nullable: false),
                SizeBytes = t.Column<long>(nullable: false),
                Vendor = t.Column<string>(nullable: false),
                Width = t.Column<long>(nullable: false),
                Height = t.Column<long>(nullable: false),
                LevelCount = t.Column<int>(nullable: false),
                LevelsJson = t.Column<string>(nullable: false),
                MppX = t.Column<double>(nullable: true),
                MppY = t.Column<double>(nullable: true),
                ObjectivePower = t.Column<double>(nullable: true),
                AssociatedImages = t.Column<string>(nullable: false),
                ProjectId = t.Column<string>(nullable: true),
                UploadedBy = t.Column<string>(nullable: false),
                UploadedAt = t.Column<DateTime>(nullable: false),
                UpdatedAt = t.Column<DateTime>(nullable: false),
                DeletedAt = t.Column<DateTime>(nullable: true),
            },
            constraints: t => t.PrimaryKey("pk_slides", s => s.Id));
        migration.CreateIndex("ix_slides_sha256", "slides", "Sha256");
        migration.CreateIndex("ix_slides_uploaded_at", "slides", "UploadedAt");

        migration.CreateTable(
            name: "slide_audit",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                SlideId = t.Column<Guid>(nullable: false),
                Action = t.Column<string>(nullable: false),
                User = t.Column<string>(nullable: false),
                RemoteIp = t.Column<string>(nullable: true),
                Details = t.Column<string>(nullable: true),
                At = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_slide_audit", a => a.Id));
        migration.CreateIndex("ix_slide_audit_slide_id", "slide_audit", "SlideId");

        migration.CreateTable(
            name: "slide_uploads",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                FileName = t.Column<string>(nullable: false),
                Size = t.Column<long>(nullable: false),
                Sha256 = t.Column<string>(nullable: true),
                ProjectId = t.Column<string>(nullable: true),
                CreatedBy = t.Column<string>(nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_slide_uploads", u => u.Id));

        migration.CreateTable(
            name: "annotations",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                SlideId = t.Column<Guid>(nullable: false),
                Layer = t.Column<string>(nullable: false),
                Author = t.Column<string>(nullable: false),
                GeometryType = t.Column<string>(nullable: false),
                ClassificationName = t.Column<string>(nullable: true),
                FeatureJson = t.Column<string>(nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
                UpdatedAt = t.Column<DateTime>(nullable: false),
                DeletedAt = t.Column<DateTime>(nullable: true),
            },
            constraints: t => t.PrimaryKey("pk_annotations", a => a.Id));
        migration.CreateIndex("ix_annotations_slide_id", "annotations", "SlideId");

        migration.CreateTable(
            name: "annotation_history",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                AnnotationId = t.Column<Guid>(nullable: false),
                SlideId = t.Column<Guid>(nullable: false),
                Action = t.Column<string>(nullable: false),
                User = t.Column<string>(nullable: false),
                BeforeJson = t.Column<string>(nullable: true),
                AfterJson = t.Column<string>(nullable: true),
                At = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_annotation_history", h => h.Id));
        migration.CreateIndex("ix_annotation_history_annotation_id", "annotation_history", "AnnotationId");
        migration.CreateIndex("ix_annotation_history_slide_id", "annotation_history", "SlideId");

        migration.CreateMessagingTables();
    }
}
