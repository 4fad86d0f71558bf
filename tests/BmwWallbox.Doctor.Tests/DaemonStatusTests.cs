using System.Text.Json;
using BmwWallbox.Core;

namespace BmwWallbox.Doctor.Tests;

public sealed class DaemonStatusTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Write_then_read_round_trips_every_field()
    {
        var status = StatusFiles.Healthy(Now, 9000, StatusFiles.Connected("DE*BMW*E1", Now) with
        {
            LastRejected = new RejectedCommand("SetChargingProfile", "Rejected", Now.AddMinutes(-2)),
            RebootsLast24h = 1,
        }) with
        {
            Rules = new RulesStatus { Loaded = 1, Errors = [new Problem("rules/a.yaml", 3, 5, "unknown signal")], Rules = [new RuleActivity("never", null)] },
        };
        var path = DaemonStatus.PathIn(Path.Combine(_dir.Path, "data"));

        await status.WriteAsync(path, CancellationToken.None);
        var read = DaemonStatus.Read(path);

        Assert.Equal(JsonSerializer.Serialize(status), JsonSerializer.Serialize(read));
        Assert.Equal([DaemonStatus.FileName], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task File_is_snake_case_with_utc_z_timestamps_and_enum_names()
    {
        var status = StatusFiles.Healthy(Now, 9000, StatusFiles.Connected("s1", Now.ToOffset(TimeSpan.FromHours(2))));
        var path = _dir.File(DaemonStatus.FileName);

        await status.WriteAsync(path, CancellationToken.None);
        var json = await File.ReadAllTextAsync(path);

        Assert.Contains("\"updated_at\":\"2030-06-01T11:59:55Z\"", json);
        Assert.Contains("\"last_heartbeat_at\":\"2030-06-01T11:59:40Z\"", json);
        Assert.Contains("\"charging_state\":\"Charging\"", json);
        Assert.Contains("\"reboots_last_24h\":0", json);
        Assert.DoesNotContain("+00:00", json);
    }

    [Fact]
    public async Task File_is_compact_and_leaves_out_what_is_unknown_yet_reads_back_the_same()
    {
        // A station that never connected: most of its fields are unknown (null).
        var status = StatusFiles.Healthy(Now, 9000, new StationStatus { Id = "s1", Name = "garage" });
        var path = _dir.File(DaemonStatus.FileName);

        await status.WriteAsync(path, CancellationToken.None);
        var json = await File.ReadAllTextAsync(path);

        Assert.DoesNotContain("null", json);
        Assert.DoesNotContain("\n", json);
        Assert.DoesNotContain("connected_at", json);
        Assert.Equal(JsonSerializer.Serialize(status), JsonSerializer.Serialize(DaemonStatus.Read(path)));
    }

    [Fact]
    public async Task Rewriting_replaces_the_file_atomically()
    {
        var path = _dir.File(DaemonStatus.FileName);
        await StatusFiles.Healthy(Now, 9000).WriteAsync(path, CancellationToken.None);

        await StatusFiles.Healthy(Now.AddMinutes(1), 9001).WriteAsync(path, CancellationToken.None);

        Assert.Equal(9001, DaemonStatus.Read(path).Ocpp.Port);
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Damaged_file_is_reported_as_invalid_data_naming_the_file()
    {
        var path = _dir.Write(DaemonStatus.FileName, "{ \"pid\": ");

        var error = Assert.Throws<InvalidDataException>(() => DaemonStatus.Read(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Station_without_id_is_rejected()
    {
        var path = _dir.Write(DaemonStatus.FileName, """{ "pid": 1, "stations": [ { "name": "garage" } ] }""");

        Assert.Throws<InvalidDataException>(() => DaemonStatus.Read(path));
    }

    [Fact]
    public void Connector_status_reads_from_its_name()
    {
        var path = _dir.Write(DaemonStatus.FileName, """{ "pid": 1, "stations": [ { "id": "s1", "status": "Faulted", "updated_at": "2030-06-01T12:00:00Z" } ] }""");

        Assert.Equal(ConnectorStatus.Faulted, DaemonStatus.Read(path).Stations[0].Status);
    }
}
