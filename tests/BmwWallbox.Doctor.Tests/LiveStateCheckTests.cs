using BmwWallbox.Core;
using System.Diagnostics;

namespace BmwWallbox.Doctor.Tests;

public sealed class LiveStateCheckTests : IDisposable
{
    private const string StationId = "DE*BMW*E1";
    private static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();
    private readonly ManualClock _time = new(Now);

    public void Dispose() => _dir.Dispose();

    private DoctorInput Input => new() { DataDir = _dir.Path, Port = 9000, Stations = [new(StationId, "garage")] };

    private async Task<IReadOnlyList<DoctorCheck>> RunAsync(DaemonStatus? status)
    {
        if (status is not null) await status.WriteAsync(DaemonStatus.PathIn(_dir.Path), CancellationToken.None);
        return new LiveStateCheck(_time).Run(Input, RunningInstance.Locate(Input, _time));
    }

    private Task<IReadOnlyList<DoctorCheck>> RunAsync(StationStatus station) => RunAsync(StatusFiles.Healthy(Now, 9000, station));

    [Fact]
    public async Task Fresh_status_with_a_connected_charging_station_is_ok()
    {
        var checks = await RunAsync(StatusFiles.Connected(StationId, Now));

        Assert.DoesNotContain(checks, c => c.Status is CheckStatus.Fail or CheckStatus.Warn);
        Assert.Contains($"pid {Environment.ProcessId}", Assert.Single(checks, c => c.Name == "live.instance").Message);
        Assert.Contains("last heard 20 s ago", Assert.Single(checks, c => c.Name == "live.connected").Message);
        Assert.Equal($"station {StationId} (garage): status Occupied, transaction tx-1 (Charging), limit 16 A from rule:solar, box applied 16 A, 0 reboot(s) in 24 h",
            Assert.Single(checks, c => c.Name == "live.state").Message);
    }

    [Fact]
    public async Task Missing_status_file_means_no_running_instance()
    {
        var check = Assert.Single(await RunAsync((DaemonStatus?)null));

        Assert.Equal(CheckStatus.Warn, check.Status);
        Assert.StartsWith("no running instance: no status file", check.Message);
        Assert.Equal("start it with `bmw-rules run --config config.yaml`", check.Fix);
    }

    [Fact]
    public async Task Status_older_than_two_minutes_means_no_running_instance()
    {
        await StatusFiles.Healthy(Now, 9000).WriteAsync(DaemonStatus.PathIn(_dir.Path), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(3));

        var check = Assert.Single(new LiveStateCheck(_time).Run(Input, RunningInstance.Locate(Input, _time)));

        Assert.Contains("no running instance", check.Message);
        Assert.Contains("last updated 3 min ago", check.Message);
    }

    [Fact]
    public async Task Status_of_a_process_that_exited_means_no_running_instance()
    {
        using var exited = Process.Start(new ProcessStartInfo("true"))!;
        await exited.WaitForExitAsync().WaitAsync(TestTimeouts.Guard);

        var check = Assert.Single(await RunAsync(StatusFiles.Healthy(Now, 9000) with { Pid = exited.Id }));

        Assert.Contains($"process {exited.Id} that wrote", check.Message);
        Assert.Contains("is not running", check.Message);
    }

    [Fact]
    public async Task Disconnected_station_fails_with_the_likely_causes()
    {
        var checks = await RunAsync(StatusFiles.Connected(StationId, Now) with { Connected = false });

        var check = Assert.Single(checks, c => c.Name == "live.connected");
        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("is not connected (last connected 3 h ago)", check.Message);
        Assert.Contains("URL", check.Fix);
        Assert.Contains("certificate", check.Fix);
        Assert.Contains("password", check.Fix);
    }

    [Fact]
    public async Task Connected_but_silent_for_more_than_three_heartbeats_warns()
    {
        var checks = await RunAsync(StatusFiles.Connected(StationId, Now) with { LastHeartbeatAt = Now.AddMinutes(-4) });

        var check = Assert.Single(checks, c => c.Name == "live.heartbeat");
        Assert.Equal(CheckStatus.Warn, check.Status);
        Assert.Contains("silent for 4 min", check.Message);
    }

    [Fact]
    public async Task Silence_is_judged_when_the_status_was_written_so_a_large_sites_older_file_warns_of_nothing()
    {
        // A 10,000-station instance writes its status every 60 s: this one is 55 s old, and the station was
        // heard 5 s before it was written; with a heartbeat every 10 s, 60 s would look like 6 missed ones.
        var input = Input with { HeartbeatInterval = TimeSpan.FromSeconds(10) };
        var written = Now.AddSeconds(-55);
        var station = StatusFiles.Connected(StationId, Now) with { LastHeartbeatAt = written.AddSeconds(-5), LastMessageAt = written.AddSeconds(-5) };
        await (StatusFiles.Healthy(Now, 9000, station) with { UpdatedAt = written }).WriteAsync(DaemonStatus.PathIn(_dir.Path), CancellationToken.None);

        var checks = new LiveStateCheck(_time).Run(input, RunningInstance.Locate(input, _time));

        Assert.DoesNotContain(checks, c => c.Name == "live.heartbeat");
        Assert.Contains("last heard 60 s ago", Assert.Single(checks, c => c.Name == "live.connected").Message);
    }

    [Fact]
    public async Task Other_messages_count_as_signs_of_life()
    {
        var checks = await RunAsync(StatusFiles.Connected(StationId, Now) with { LastHeartbeatAt = Now.AddMinutes(-4), LastMessageAt = Now.AddSeconds(-5) });

        Assert.DoesNotContain(checks, c => c.Name == "live.heartbeat");
    }

    [Fact]
    public async Task Plugged_car_without_transaction_is_info()
    {
        var checks = await RunAsync(StatusFiles.Connected(StationId, Now) with { TransactionActive = false, TransactionId = null, ChargingState = null });

        Assert.Equal(CheckStatus.Info, Assert.Single(checks, c => c.Name == "live.transaction").Status);
    }

    [Theory]
    [InlineData("SetCurrent", "no transaction on EVSE 1", "plug in the car / start a session first")]
    [InlineData("SetCurrent", "40 A is out of range (6..32 A)", "ask for 0 (pause) or a current within [wallbox.min_current, wallbox.max_current]")]
    [InlineData("Resume", "RequestStartTransaction rejected: box is in Finishing", "unplug and replug the car, or reboot: RequestStopTransaction leaves the BMW box in Finishing")]
    [InlineData("SetChargingProfile", "SetChargingProfile rejected", "the box refuses profiles after SuspendedEVSE/Faulted; a reboot fixes it (allow_reboot)")]
    [InlineData("SetCurrent", "unknown evse 2", "set wallbox.evse_id to 1 (the BMW box has one EVSE)")]
    public async Task Recent_rejected_command_warns_with_the_matching_fix(string action, string message, string fix)
    {
        var checks = await RunAsync(StatusFiles.Connected(StationId, Now) with { LastRejected = new RejectedCommand(action, message, Now.AddMinutes(-10)) });

        var check = Assert.Single(checks, c => c.Name == "live.rejected");
        Assert.Equal(CheckStatus.Warn, check.Status);
        Assert.Contains(message, check.Message);
        Assert.Equal(fix, check.Fix);
    }

    [Fact]
    public async Task Rejection_older_than_a_day_is_only_info()
    {
        var checks = await RunAsync(StatusFiles.Connected(StationId, Now) with { LastRejected = new RejectedCommand("SetCurrent", "no transaction", Now.AddDays(-3)) });

        Assert.Equal(CheckStatus.Info, Assert.Single(checks, c => c.Name == "live.rejected").Status);
    }

    [Fact]
    public async Task Many_reboots_in_a_day_warn()
    {
        var checks = await RunAsync(StatusFiles.Connected(StationId, Now) with { RebootsLast24h = 4 });

        Assert.Contains("rebooted 4 times", Assert.Single(checks, c => c.Name == "live.reboots").Message);
    }

    [Fact]
    public async Task Configured_station_unknown_to_the_instance_and_other_port_warn_to_restart()
    {
        var checks = await RunAsync(StatusFiles.Healthy(Now, 9001));

        Assert.Contains(checks, c => c.Name == "live.station" && c.Message.Contains(StationId));
        Assert.Contains(checks, c => c.Name == "live.config" && c.Message.Contains("9001"));
        Assert.All(checks.Where(c => c.Status == CheckStatus.Warn), c => Assert.Contains("restart", c.Fix));
    }
}
