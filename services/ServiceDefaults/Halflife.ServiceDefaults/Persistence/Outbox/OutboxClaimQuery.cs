using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Halflife.ServiceDefaults.Persistence.Outbox;

/// <summary>
/// The PostgreSQL statement with which one replica's dispatcher claims a batch of unsent outbox rows: the oldest
/// rows that no other transaction holds, locked until the claiming transaction commits (FOR UPDATE SKIP LOCKED).
/// </summary>
internal static class OutboxClaimQuery
{
    /// <summary>
    /// Table and column names come from the context's model (a service may put its tables in a schema of its own or
    /// rename them), each quoted by the provider; the batch size is the statement's only parameter, {0}.
    /// </summary>
    public static string For(DbContext context)
    {
        var entity = context.Model.FindEntityType(typeof(OutboxMessage))
                     ?? throw new InvalidOperationException($"{context.GetType().Name} has no outbox table; call AddMessagingTables in its OnModelCreating.");
        var tableName = entity.GetTableName()
                        ?? throw new InvalidOperationException($"The outbox of {context.GetType().Name} is not mapped to a table.");
        var schema = entity.GetSchema();
        var table = StoreObjectIdentifier.Table(tableName, schema);
        var sql = context.GetService<ISqlGenerationHelper>();

        string Column(string property)
        {
            var name = entity.FindProperty(property)?.GetColumnName(table)
                       ?? throw new InvalidOperationException($"The outbox table of {context.GetType().Name} has no column for {property}.");
            return sql.DelimitIdentifier(name);
        }

        // Not composed further by EF (FOR UPDATE cannot sit in a subquery), so the statement is complete as written.
        return $$"""
            SELECT * FROM {{sql.DelimitIdentifier(tableName, schema)}}
            WHERE {{Column(nameof(OutboxMessage.SentAt))}} IS NULL
            ORDER BY {{Column(nameof(OutboxMessage.CreatedAt))}}, {{Column(nameof(OutboxMessage.Id))}}
            LIMIT {0}
            FOR UPDATE SKIP LOCKED
            """;
    }
}
