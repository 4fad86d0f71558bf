using System.Text.Json;
using BmwWallbox.Core;
using Microsoft.Data.Sqlite;

namespace BmwWallbox.History;

/// <summary>
/// The sessions table in SQLite. WAL journal with synchronous NORMAL: a committed write survives a killed
/// process (kill -9); a power cut may lose the last seconds of updates, never the file's consistency. The recorder writes through one connection from its one worker; readers
/// (CLI, dashboard, MQTT) open their own, which WAL lets run beside the writer.
/// </summary>
internal sealed class SessionStore : IDisposable
{
    /// <summary>What a session left open by a crash or a stop is marked with when it is closed at the next start.</summary>
    public const string ClosedAtRestart = "closed_at_restart";

    private const string Columns = "id, " + Written;

    private const string Written = """
        station_id, station_name, transaction_id, id_token, started_at, ended_at, updated_at, end_reason,
        meter_start_wh, meter_stop_wh, energy_wh, max_power_w, charging_ms, paused_ms, solar_wh, cost, currency, limit_sources
        """;

    private readonly string _path;
    private SqliteConnection? _writer;

    public SessionStore(string path) => _path = Path.GetFullPath(path);

    /// <summary>Creates or migrates the database and keeps a connection for writing.</summary>
    public void Open()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _writer = Connect(SqliteOpenMode.ReadWriteCreate);
        using (var pragma = _writer.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
            pragma.ExecuteNonQuery();
        }
        SessionSchema.Migrate(_writer);
    }

    /// <summary>Ends every session still open (left by a crash or a stop) at its last saved update. Returns how many.</summary>
    public int CloseLeftOpen()
    {
        using var command = Writer.CreateCommand();
        command.CommandText = "UPDATE sessions SET ended_at = updated_at, end_reason = $reason WHERE ended_at IS NULL";
        command.Parameters.AddWithValue("$reason", ClosedAtRestart);
        return command.ExecuteNonQuery();
    }

    /// <summary>Stores a new session; returns its id.</summary>
    public long Insert(ChargingSession s)
    {
        using var command = Writer.CreateCommand();
        command.CommandText = $"""
            INSERT INTO sessions ({Written})
            VALUES ($station_id, $station_name, $transaction_id, $id_token, $started_at, $ended_at, $updated_at, $end_reason,
                    $meter_start_wh, $meter_stop_wh, $energy_wh, $max_power_w, $charging_ms, $paused_ms, $solar_wh, $cost, $currency, $limit_sources)
            RETURNING id
            """;
        Bind(command, s);
        return (long)command.ExecuteScalar()!;
    }

    public void Update(ChargingSession s)
    {
        using var command = Writer.CreateCommand();
        command.CommandText = """
            UPDATE sessions SET station_id = $station_id, station_name = $station_name, transaction_id = $transaction_id,
                id_token = $id_token, started_at = $started_at, ended_at = $ended_at, updated_at = $updated_at,
                end_reason = $end_reason, meter_start_wh = $meter_start_wh, meter_stop_wh = $meter_stop_wh,
                energy_wh = $energy_wh, max_power_w = $max_power_w, charging_ms = $charging_ms, paused_ms = $paused_ms,
                solar_wh = $solar_wh, cost = $cost, currency = $currency, limit_sources = $limit_sources
            WHERE id = $id
            """;
        Bind(command, s);
        command.Parameters.AddWithValue("$id", s.Id);
        command.ExecuteNonQuery();
    }

    /// <summary>The newest session of a transaction on a station, if any.</summary>
    public ChargingSession? Latest(string stationId, string transactionId)
    {
        using var command = Writer.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM sessions WHERE station_id = $station AND transaction_id = $tx ORDER BY id DESC LIMIT 1";
        command.Parameters.AddWithValue("$station", stationId);
        command.Parameters.AddWithValue("$tx", transactionId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>The newest session of a station, if any.</summary>
    public ChargingSession? LatestOfStation(string stationId)
    {
        using var command = Writer.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM sessions WHERE station_id = $station ORDER BY id DESC LIMIT 1";
        command.Parameters.AddWithValue("$station", stationId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>Sessions matching the query, oldest first, on a connection of its own (it only reads; read-write so it opens a WAL file with no -shm beside it).</summary>
    public static IReadOnlyList<ChargingSession> Query(string path, SessionQuery query)
    {
        using var db = Connect(path, SqliteOpenMode.ReadWrite);
        using var command = db.CreateCommand();
        var where = new List<string>();
        if (query.Station is { } station)
        {
            where.Add("(station_id = $station OR station_name = $station)");
            command.Parameters.AddWithValue("$station", station);
        }
        if (query.From is { } from)
        {
            where.Add("started_at >= $from");
            command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        }
        if (query.To is { } to)
        {
            where.Add("started_at < $to");
            command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        }
        command.CommandText = $"SELECT {Columns} FROM sessions {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")} ORDER BY started_at, id";
        using var reader = command.ExecuteReader();
        var sessions = new List<ChargingSession>();
        while (reader.Read()) sessions.Add(Read(reader));
        return sessions;
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
    }

    private SqliteConnection Writer => _writer ?? throw new InvalidOperationException("The session store is not open");

    private SqliteConnection Connect(SqliteOpenMode mode) => Connect(_path, mode);

    private static SqliteConnection Connect(string path, SqliteOpenMode mode)
    {
        // No pooling: a pooled handle would keep the file open after Dispose (tests delete their folders,
        // users copy the file for a backup).
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        db.Open();
        using var timeout = db.CreateCommand();
        timeout.CommandText = "PRAGMA busy_timeout = 5000";
        timeout.ExecuteNonQuery();
        return db;
    }

    private static void Bind(SqliteCommand command, ChargingSession s)
    {
        object Db(object? value) => value ?? DBNull.Value;
        var p = command.Parameters;
        p.AddWithValue("$station_id", s.StationId);
        p.AddWithValue("$station_name", s.StationName);
        p.AddWithValue("$transaction_id", Db(s.TransactionId));
        p.AddWithValue("$id_token", Db(s.IdToken));
        p.AddWithValue("$started_at", s.StartedAt.ToUnixTimeMilliseconds());
        p.AddWithValue("$ended_at", Db(s.EndedAt?.ToUnixTimeMilliseconds()));
        p.AddWithValue("$updated_at", (s.UpdatedAt ?? s.EndedAt ?? s.StartedAt).ToUnixTimeMilliseconds());
        p.AddWithValue("$end_reason", Db(s.EndReason));
        p.AddWithValue("$meter_start_wh", Db(s.MeterStartWh));
        p.AddWithValue("$meter_stop_wh", Db(s.MeterStopWh));
        p.AddWithValue("$energy_wh", s.EnergyKWh * 1000);
        p.AddWithValue("$max_power_w", s.MaxPowerW);
        p.AddWithValue("$charging_ms", (long)s.ChargingTime.TotalMilliseconds);
        p.AddWithValue("$paused_ms", (long)s.PausedTime.TotalMilliseconds);
        p.AddWithValue("$solar_wh", Db(s.SolarKWh * 1000));
        p.AddWithValue("$cost", Db(s.Cost));
        p.AddWithValue("$currency", Db(s.Currency));
        p.AddWithValue("$limit_sources", JsonSerializer.Serialize(s.LimitSources.Select(l => new StoredSource(l.Source, (long)l.Duration.TotalMilliseconds)).ToList(), LimitSourcesJson.Default.ListStoredSource));
    }

    private static ChargingSession Read(SqliteDataReader r)
    {
        static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        double? Number(int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
        var energyWh = r.GetDouble(11);
        var solarWh = Number(15);
        var charging = TimeSpan.FromMilliseconds(r.GetInt64(13));
        var sources = JsonSerializer.Deserialize(r.GetString(18), LimitSourcesJson.Default.ListStoredSource) ?? [];
        return new ChargingSession
        {
            Id = r.GetInt64(0),
            StationId = r.GetString(1),
            StationName = r.GetString(2),
            TransactionId = Text(3),
            IdToken = Text(4),
            StartedAt = Time(r.GetInt64(5)),
            EndedAt = r.IsDBNull(6) ? null : Time(r.GetInt64(6)),
            UpdatedAt = Time(r.GetInt64(7)),
            EndReason = Text(8),
            MeterStartWh = Number(9),
            MeterStopWh = Number(10),
            EnergyKWh = energyWh / 1000,
            MaxPowerW = r.GetDouble(12),
            AvgPowerW = charging > TimeSpan.Zero ? energyWh / charging.TotalHours : 0,
            ChargingTime = charging,
            PausedTime = TimeSpan.FromMilliseconds(r.GetInt64(14)),
            SolarKWh = solarWh / 1000,
            GridKWh = solarWh is { } s ? Math.Max(energyWh - s, 0) / 1000 : null,
            SolarShare = solarWh is { } solar && energyWh > 0 ? Math.Clamp(solar / energyWh, 0, 1) : null,
            Cost = Number(16),
            Currency = Text(17),
            LimitSources = sources.Select(x => new LimitSourceTime(x.Source, TimeSpan.FromMilliseconds(x.Ms))).ToList(),
        };
    }

    internal sealed record StoredSource(string Source, long Ms);
}
