using Halflife.ServiceDefaults.Persistence.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Reporting.Data;

public sealed class ReportingDbContext(DbContextOptions<ReportingDbContext> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<IndexedStudy> Studies => Set<IndexedStudy>();
    public DbSet<IndexedSeries> Series => Set<IndexedSeries>();
    public DbSet<IndexedInstance> Instances => Set<IndexedInstance>();
    public DbSet<DerivedImage> DerivedImages => Set<DerivedImage>();
    public DbSet<Report> Reports => Set<Report>();
    public DbSet<ReportVersion> ReportVersions => Set<ReportVersion>();
    public DbSet<ExportJob> ExportJobs => Set<ExportJob>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<ProcessedMessage> ProcessedMessages => Set<ProcessedMessage>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<IndexedStudy>(e =>
        {
            e.ToTable("studies");
            e.HasKey(s => s.StudyInstanceUid);
            e.HasIndex(s => s.AccessionNumber);
            e.HasIndex(s => new { s.PatientId, s.StudyDate });
            e.HasIndex(s => s.ProjectId);
        });
        model.Entity<IndexedSeries>(e =>
        {
            e.ToTable("series");
            e.HasKey(s => s.SeriesInstanceUid);
            e.HasIndex(s => s.StudyInstanceUid);
            e.HasIndex(s => new { s.PatientId, s.ScanDate });
        });
        model.Entity<IndexedInstance>(e =>
        {
            e.ToTable("instances");
            e.HasKey(i => i.InstanceId);
            e.HasIndex(i => i.SopInstanceUid);
            e.HasIndex(i => i.SeriesInstanceUid);
            e.HasIndex(i => i.StudyInstanceUid);
        });
        model.Entity<DerivedImage>(e =>
        {
            e.ToTable("derived_images");
            e.HasKey(d => d.Id);
            e.Property(d => d.Kind).HasConversion<string>();
            e.HasIndex(d => d.SourceInstanceId);
            e.HasIndex(d => d.StudyInstanceUid);
        });
        model.Entity<Report>(e =>
        {
            e.ToTable("reports");
            e.HasKey(r => r.Id);
            e.HasIndex(r => r.AccessionNumber);
            e.HasIndex(r => new { r.PatientId, r.StudyDate });
            e.HasIndex(r => r.StudyInstanceUid);
        });
        model.Entity<ReportVersion>(e =>
        {
            e.ToTable("report_versions");
            e.HasKey(v => v.Id);
            e.HasIndex(v => new { v.ReportId, v.Version }).IsUnique();
            e.HasIndex(v => v.ControlId);
        });
        model.Entity<ExportJob>(e =>
        {
            e.ToTable("export_jobs");
            e.HasKey(j => j.Id);
            e.Property(j => j.State).HasConversion<string>();
        });
        model.AddMessagingTables();
    }
}
