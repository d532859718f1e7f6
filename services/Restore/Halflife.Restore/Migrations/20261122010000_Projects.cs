using Halflife.Restore.Derived;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Halflife.Restore.Migrations;

// Hand-written (no EF design-time tooling here). Rows from before this migration have no project: the default one.
[DbContext(typeof(RestoreDbContext))]
[Migration("20261122010000_Projects")]
public sealed class Projects : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.AddColumn<string>(name: "ProjectId", table: "derived_instances", nullable: true);
        migration.CreateIndex("ix_derived_instances_project", "derived_instances", "ProjectId");
    }
}
