using Halflife.Reporting.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Halflife.Reporting.Migrations;

// Hand-written (no EF design-time tooling here). Studies indexed before this migration have no project (the default
// one); exports started before it have no owner and no scope, so only admins see them.
[DbContext(typeof(ReportingDbContext))]
[Migration("20261122010000_Projects")]
public sealed class Projects : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.AddColumn<string>(name: "ProjectId", table: "studies", nullable: true);
        migration.CreateIndex("ix_studies_project", "studies", "ProjectId");
        migration.AddColumn<string>(name: "CreatedBy", table: "export_jobs", nullable: true);
        migration.AddColumn<string>(name: "ProjectScope", table: "export_jobs", nullable: true);
    }
}
