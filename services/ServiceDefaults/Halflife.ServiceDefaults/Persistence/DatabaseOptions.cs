namespace Halflife.ServiceDefaults.Persistence;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>Configuration section "Database".</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
    /// <summary>PostgreSQL server connection string without a database name: each service gets its own database.</summary>
    public string PostgresConnectionString { get; set; } = "Host=127.0.0.1;Port=5432;Username=halflife";
    /// <summary>Databases (PostgreSQL) and files (SQLite) are named "{Prefix}_{service}".</summary>
    public string Prefix { get; set; } = "halflife";
}
