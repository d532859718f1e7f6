using Halflife.Segmentation.Jobs;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Halflife.Segmentation.Migrations;

// Hand-written (no EF design-time tooling here); a provider-neutral column that SQLite and PostgreSQL both add in
// place. Jobs from before this migration have no worker: they show "worker": null.
[DbContext(typeof(SegmentationDbContext))]
[Migration("20261122060000_JobWorker")]
public sealed class JobWorker : Migration
{
    protected override void Up(MigrationBuilder migration) =>
        migration.AddColumn<string>(name: "WorkerId", table: "segmentation_jobs", maxLength: 200, nullable: true);
}
