using BmwWallbox.Core;
using Microsoft.Data.Sqlite;

namespace BmwWallbox.History.Tests;

public sealed class SessionStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("history-store-").FullName;
    private string DbPath => Path.Combine(_folder, "sub", "history.db");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ChargingSession Session(string station, DateTimeOffset start) => new()
    {
        Id = 0, StationId = station, StationName = station.ToLowerInvariant(), StartedAt = start, EndedAt = start.AddHours(1), EnergyKWh = 2,
    };

    [Fact]
    public void A_new_database_is_created_in_WAL_mode_at_the_current_schema_version()
    {
        using (var store = new SessionStore(DbPath)) store.Open();
        using var db = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        db.Open();
        using var mode = db.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", mode.ExecuteScalar());
        Assert.Equal(SessionSchema.Current, SessionSchema.Version(db));
    }

    [Fact]
    public void A_database_from_a_newer_version_is_refused_not_misread()
    {
        using (var store = new SessionStore(DbPath)) store.Open();
        using (var db = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            db.Open();
            using var bump = db.CreateCommand();
            bump.CommandText = "UPDATE schema_version SET version = 99";
            bump.ExecuteNonQuery();
        }
        using var again = new SessionStore(DbPath);
        var e = Assert.Throws<InvalidOperationException>(again.Open);
        Assert.Contains("schema version 99", e.Message);
    }

    [Fact]
    public void Query_filters_by_station_id_or_name_and_start_range()
    {
        var day = new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
        using var store = new SessionStore(DbPath);
        store.Open();
        store.Insert(Session("A", day));
        store.Insert(Session("B", day.AddDays(1)));
        store.Insert(Session("A", day.AddDays(2)));

        Assert.Equal(3, SessionStore.Query(DbPath, new SessionQuery()).Count);
        Assert.Equal(2, SessionStore.Query(DbPath, new SessionQuery("A")).Count);
        Assert.Single(SessionStore.Query(DbPath, new SessionQuery("b")));
        Assert.Equal([day.AddDays(1), day.AddDays(2)], SessionStore.Query(DbPath, new SessionQuery(From: day.AddDays(1))).Select(s => s.StartedAt));
        Assert.Equal([day], SessionStore.Query(DbPath, new SessionQuery(To: day.AddDays(1))).Select(s => s.StartedAt));
    }
}
