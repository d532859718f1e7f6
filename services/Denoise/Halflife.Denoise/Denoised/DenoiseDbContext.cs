using Halflife.ServiceDefaults.Persistence.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Denoise.Denoised;

public sealed class DenoiseDbContext(DbContextOptions<DenoiseDbContext> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<DenoisedInstance> DenoisedInstances => Set<DenoisedInstance>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<ProcessedMessage> ProcessedMessages => Set<ProcessedMessage>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<DenoisedInstance>(e =>
        {
            e.ToTable("denoised_instances");
            e.HasIndex(d => d.SourceInstanceId);
            e.HasIndex(d => d.StudyInstanceUid);
            e.HasIndex(d => d.DenoisedSopInstanceUid).IsUnique();
        });
        model.AddMessagingTables();
    }
}
