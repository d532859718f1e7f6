using Halflife.Segmentation.Worker;
using Halflife.ServiceDefaults.Persistence.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Segmentation.Jobs;

public sealed class SegmentationDbContext(DbContextOptions<SegmentationDbContext> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<SegmentationJob> Jobs => Set<SegmentationJob>();
    public DbSet<KnownSlide> Slides => Set<KnownSlide>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<ProcessedMessage> ProcessedMessages => Set<ProcessedMessage>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<SegmentationJob>(e =>
        {
            e.ToTable("segmentation_jobs");
            e.Property(j => j.State).HasConversion(s => s.ToString().ToLowerInvariant(), s => Enum.Parse<JobState>(s, true)).HasMaxLength(16);
            e.Ignore(j => j.IsFinished);
            // The final write of a job checks that this worker still holds it (another one may have taken over a
            // job whose lease lapsed): a concurrency token makes that check part of the same UPDATE.
            e.Property(j => j.WorkerId).HasMaxLength(WorkerIdentity.MaxLength).IsConcurrencyToken();
            e.HasIndex(j => new { j.SlideId, j.CreatedAt });
            e.HasIndex(j => j.State);
        });
        model.Entity<KnownSlide>(e =>
        {
            e.ToTable("known_slides");
            e.HasKey(s => s.SlideId);
        });
        model.AddMessagingTables();
    }
}
