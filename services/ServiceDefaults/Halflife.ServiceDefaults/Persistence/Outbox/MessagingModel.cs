using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Halflife.ServiceDefaults.Persistence.Outbox;

/// <summary>The outbox and inbox tables: one model definition and one migration step shared by every service.</summary>
public static class MessagingModel
{
    public static void AddMessagingTables(this ModelBuilder model)
    {
        model.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_messages");
            e.HasKey(m => m.Id);
            e.Property(m => m.MessageType).HasMaxLength(256);
            e.HasIndex(m => new { m.SentAt, m.CreatedAt });
        });
        model.Entity<ProcessedMessage>(e =>
        {
            e.ToTable("processed_messages");
            e.HasKey(m => new { m.Consumer, m.MessageId });
            e.Property(m => m.Consumer).HasMaxLength(200);
        });
    }

    public static void CreateMessagingTables(this MigrationBuilder migration)
    {
        migration.CreateTable(
            name: "outbox_messages",
            columns: t => new
            {
                Id = t.Column<Guid>(nullable: false),
                MessageType = t.Column<string>(maxLength: 256, nullable: false),
                Body = t.Column<string>(nullable: false),
                TraceParent = t.Column<string>(nullable: true),
                CreatedAt = t.Column<DateTime>(nullable: false),
                SentAt = t.Column<DateTime>(nullable: true),
                Attempts = t.Column<int>(nullable: false),
                LastError = t.Column<string>(nullable: true),
            },
            constraints: t => t.PrimaryKey("pk_outbox_messages", m => m.Id));
        migration.CreateIndex("ix_outbox_messages_sent_created", "outbox_messages", ["SentAt", "CreatedAt"]);
        migration.CreateTable(
            name: "processed_messages",
            columns: t => new
            {
                Consumer = t.Column<string>(maxLength: 200, nullable: false),
                MessageId = t.Column<Guid>(nullable: false),
                ProcessedAt = t.Column<DateTime>(nullable: false),
            },
            constraints: t => t.PrimaryKey("pk_processed_messages", m => new { m.Consumer, m.MessageId }));
    }
}
