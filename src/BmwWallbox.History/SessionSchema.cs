using Microsoft.Data.Sqlite;

namespace BmwWallbox.History;

/// <summary>
/// The database's shape, as numbered migrations. <c>schema_version</c> holds how many have run; each
/// runs once, in its own transaction, so a database from any older version is brought up to date and
/// one from a newer bmw-rules is refused instead of misread.
/// </summary>
internal static class SessionSchema
{
    /// <summary>Times are Unix milliseconds (UTC): sortable, and range queries stay simple.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            station_id TEXT NOT NULL,
            station_name TEXT NOT NULL,
            transaction_id TEXT,
            id_token TEXT,
            started_at INTEGER NOT NULL,
            ended_at INTEGER,
            updated_at INTEGER NOT NULL,
            end_reason TEXT,
            meter_start_wh REAL,
            meter_stop_wh REAL,
            energy_wh REAL NOT NULL DEFAULT 0,
            max_power_w REAL NOT NULL DEFAULT 0,
            charging_ms INTEGER NOT NULL DEFAULT 0,
            paused_ms INTEGER NOT NULL DEFAULT 0,
            solar_wh REAL,
            cost REAL,
            currency TEXT,
            limit_sources TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX sessions_by_transaction ON sessions (station_id, transaction_id);
        CREATE INDEX sessions_by_start ON sessions (started_at);
        """,
    ];

    public static int Current => Migrations.Length;

    public static void Migrate(SqliteConnection db)
    {
        Execute(db, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        var version = Version(db);
        if (version > Migrations.Length)
            throw new InvalidOperationException(
                $"{db.DataSource} has schema version {version}, newer than this bmw-rules knows ({Migrations.Length}): update bmw-rules or use another history.file");
        for (var next = version; next < Migrations.Length; next++)
        {
            using var tx = db.BeginTransaction();
            Execute(db, Migrations[next], tx);
            Execute(db, "DELETE FROM schema_version", tx);
            Execute(db, $"INSERT INTO schema_version (version) VALUES ({next + 1})", tx);
            tx.Commit();
        }
    }

    public static int Version(SqliteConnection db)
    {
        using var command = db.CreateCommand();
        command.CommandText = "SELECT MAX(version) FROM schema_version";
        return command.ExecuteScalar() is long v ? (int)v : 0;
    }

    private static void Execute(SqliteConnection db, string sql, SqliteTransaction? tx = null)
    {
        using var command = db.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
