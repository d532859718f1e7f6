using Halflife.Segmentation.Jobs;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Halflife.Segmentation.Migrations;

// Hand-written (no EF design-time tooling here); provider-neutral column types.
[DbContext(typeof(SegmentationDbContext))]
[Migration("20261122010000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable(
            name: "segmentation_jobs",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                SlideId = t.Column<Guid>(nullable: false),
                ProjectId = t.Column<string>(nullable: true),
                SlideBlobKey = t.Column<string>(nullable: false),
                ModelName = t.Column<string>(nullable: false),
                ModelVersion = t.Column<string>(nullable: false),
                RegionX = t.Column<long>(nullable: true),
                RegionY = t.Column<long>(nullable: true),
                RegionWidth = t.Column<long>(nullable: true),
                RegionHeight = t.Column<long>(nullable: true),
                State = t.Column<string>(maxLength: 16, nullable: false),
                Stage = t.Column<string>(nullable: true),
                TilesTotal = t.Column<int>(nullable: false),
                TilesDone = t.Column<int>(nullable: false),
                TilesSkipped = t.Column<int>(nullable: false),
                SkippedFraction = t.Column<double>(nullable: false),
                OverlayWidth = t.Column<int>(nullable: false),
                OverlayHeight = t.Column<int>(nullable: false),
                OverlayDownsample = t.Column<double>(nullable: false),
                ClassesJson = t.Column<string>(nullable: false),
                ClassCount = t.Column<int>(nullable: false),
                OverviewVersion = t.Column<int>(nullable: false),
                PolygonCount = t.Column<int>(nullable: false),
                ContoursBlobKey = t.Column<string>(nullable: true),
                CancelRequested = t.Column<bool>(nullable: false),
                Error = t.Column<string>(nullable: true),
                RequestedBy = t.Column<string>(nullable: false),
                CreatedAt = t.Column<DateTime>(nullable: false),
                StartedAt = t.Column<DateTime>(nullable: true),
                FinishedAt = t.Column<DateTime>(nullable: true),
                UpdatedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_segmentation_jobs", j => j.Id));
        migration.CreateIndex("ix_segmentation_jobs_slide_created", "segmentation_jobs", ["SlideId", "CreatedAt"]);
        migration.CreateIndex("ix_segmentation_jobs_state", "segmentation_jobs", "State");

        migration.CreateTable(
            name: "known_slides",
            columns: t => new
            {
                SlideId = t.Column<Guid>(nullable: false),
                Name = t.Column<string>(nullable: false),
                BlobKey = t.Column<string>(nullable: false),
                ProjectId = t.Column<string>(nullable: true),
                Width = t.Column<long>(nullable: false),
                Height = t.Column<long>(nullable: false),
                MppX = t.Column<double>(nullable: true),
                MppY = t.Column<double>(nullable: true),
                UploadedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_known_slides", s => s.SlideId));
        migration.CreateMessagingTables();
    }
}
