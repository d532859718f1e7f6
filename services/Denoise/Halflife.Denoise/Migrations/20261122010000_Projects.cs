using Halflife.Denoise.Denoised;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Halflife.Denoise.Migrations;

// Hand-written (no EF design-time tooling here). Rows from before this migration have no project: the default one.
[DbContext(typeof(DenoiseDbContext))]
[Migration("20261122010000_Projects")]
public sealed class Projects : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.AddColumn<string>(name: "ProjectId", table: "denoised_instances", nullable: true);
        migration.CreateIndex("ix_denoised_instances_project", "denoised_instances", "ProjectId");
    }
}
