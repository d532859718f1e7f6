using Halflife.ServiceDefaults.Persistence.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Halflife.Slides.Catalogue;

public sealed class SlidesDbContext(DbContextOptions<SlidesDbContext> options) : DbContext(options), IMessagingDbContext
{
    public DbSet<Slide> Slides => Set<Slide>();
    public DbSet<SlideAuditRecord> AuditRecords => Set<SlideAuditRecord>();
    public DbSet<UploadSession> Uploads => Set<UploadSession>();
    public DbSet<Annotation> Annotations => Set<Annotation>();
    public DbSet<AnnotationHistory> AnnotationHistory => Set<AnnotationHistory>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<ProcessedMessage> ProcessedMessages => Set<ProcessedMessage>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Slide>(e =>
        {
            e.ToTable("slides");
            e.Ignore(s => s.TagList);
            e.Property(s => s.Name).HasMaxLength(256);
            e.HasIndex(s => s.Sha256);
            e.HasIndex(s => s.UploadedAt);
        });
        model.Entity<SlideAuditRecord>(e =>
        {
            e.ToTable("slide_audit");
            e.HasIndex(a => a.SlideId);
        });
        model.Entity<UploadSession>(e => e.ToTable("slide_uploads"));
        model.Entity<Annotation>(e =>
        {
            e.ToTable("annotations");
            e.HasIndex(a => a.SlideId);
        });
        model.Entity<AnnotationHistory>(e =>
        {
            e.ToTable("annotation_history");
            e.HasIndex(h => h.AnnotationId);
            e.HasIndex(h => h.SlideId);
        });
        model.AddMessagingTables();
    }
}
