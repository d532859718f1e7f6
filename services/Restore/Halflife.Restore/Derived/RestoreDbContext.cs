using Halflife.Restore.Forwarding;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Restore.Derived;

public sealed class RestoreDbContext(DbContextOptions<RestoreDbContext> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<DerivedInstance> DerivedInstances => Set<DerivedInstance>();
    public DbSet<ForwardingJob> ForwardingJobs => Set<ForwardingJob>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<ProcessedMessage> ProcessedMessages => Set<ProcessedMessage>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<DerivedInstance>(e =>
        {
            e.ToTable("derived_instances");
            e.HasIndex(d => d.SourceInstanceId);
            e.HasIndex(d => d.StudyInstanceUid);
            e.HasIndex(d => d.DerivedSopInstanceUid).IsUnique();
        });
        model.Entity<ForwardingJob>(e =>
        {
            e.ToTable("forwarding_jobs");
            e.Property(j => j.Status).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(j => new { j.Status, j.NextAttemptAt });
            e.HasIndex(j => j.DerivedInstanceId);
        });
        model.AddMessagingTables();
    }
}
