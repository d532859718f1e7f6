using Halflife.ServiceDefaults.Persistence.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Ingest.Catalogue;

public sealed class IngestDbContext(DbContextOptions<IngestDbContext> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<Study> Studies => Set<Study>();
    public DbSet<Series> Series => Set<Series>();
    public DbSet<Instance> Instances => Set<Instance>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<ProcessedMessage> ProcessedMessages => Set<ProcessedMessage>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Study>(e =>
        {
            e.ToTable("studies");
            e.HasIndex(s => s.StudyInstanceUid).IsUnique();
            e.HasIndex(s => s.PatientId);
            e.HasIndex(s => s.AccessionNumber);
            e.HasIndex(s => s.StudyDate);
            e.Property(s => s.StudyInstanceUid).HasMaxLength(64);
        });
        model.Entity<Series>(e =>
        {
            e.ToTable("series");
            e.HasIndex(s => s.SeriesInstanceUid).IsUnique();
            e.HasOne(s => s.Study).WithMany(s => s.Series).HasForeignKey(s => s.StudyId);
            e.Property(s => s.SeriesInstanceUid).HasMaxLength(64);
        });
        model.Entity<Instance>(e =>
        {
            e.ToTable("instances");
            e.HasIndex(i => i.SopInstanceUid).IsUnique();
            e.HasOne(i => i.Series).WithMany(s => s.Instances).HasForeignKey(i => i.SeriesId);
            e.Property(i => i.SopInstanceUid).HasMaxLength(64);
        });
        model.AddMessagingTables();
    }
}
