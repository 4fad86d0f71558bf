using BmwWallbox.Core;

namespace BmwWallbox.Doctor;

/// <summary>Step 6: what the running instance knows about each station, from its status file.</summary>
internal sealed class LiveStateCheck(TimeProvider time)
{
    private const int Step = DoctorSteps.LiveState;
    private static readonly TimeSpan RecentRejection = TimeSpan.FromHours(24);
    private const int RebootsWorthAWarning = 3;

    public IReadOnlyList<DoctorCheck> Run(DoctorInput input, RunningInstance instance)
    {
        if (instance.Status is not { } status)
            return [DoctorCheck.Warn(Step, "live.instance", $"no running instance: {instance.Absent}", input.StartFix)];

        var now = time.GetUtcNow();
        var results = new List<DoctorCheck>
        {
            DoctorCheck.Ok(Step, "live.instance",
                $"bmw-rules pid {status.Pid} running since {status.StartedAt:yyyy-MM-dd HH:mm}Z, listening on {status.Ocpp.Address}:{status.Ocpp.Port}, status {RunningInstance.Ago(now - status.UpdatedAt)} old"),
        };
        if (status.Ocpp.Port != input.Port)
            results.Add(DoctorCheck.Warn(Step, "live.config", $"the running instance listens on port {status.Ocpp.Port}, {input.ConfigPath} says {input.Port}",
                "restart bmw-rules to apply config.yaml"));
        foreach (var configured in input.Stations.Where(c => status.Stations.All(s => s.Id != c.Id)))
            results.Add(DoctorCheck.Warn(Step, "live.station", $"station {configured.Id} is in {input.ConfigPath} but unknown to the running instance",
                "restart bmw-rules to apply config.yaml"));
        foreach (var station in status.Stations)
            results.AddRange(Station(station, input, now, status.UpdatedAt));
        return results;
    }

    /// <param name="written">When the status file was written: a large site's is up to a minute old, and a station
    /// heard just before it was written is not silent for that minute.</param>
    private IEnumerable<DoctorCheck> Station(StationStatus s, DoctorInput input, DateTimeOffset now, DateTimeOffset written)
    {
        var who = $"station {s.Id} ({s.Name})";
        if (!s.Connected)
        {
            var since = s.ConnectedAt is { } at ? $" (last connected {RunningInstance.Ago(now - at)} ago)" : " (never connected since start)";
            yield return DoctorCheck.Fail(Step, "live.connected", $"{who} is not connected{since}",
                "in the installer app check the URL (step 4), the certificate (step 2: public CA, full chain, matching name) and the password (step 5)");
            yield break;
        }

        var lastSeen = Latest(s.LastHeartbeatAt, s.LastMessageAt, s.ConnectedAt);
        var silentFor = lastSeen is null ? TimeSpan.Zero : now - lastSeen.Value;
        var silentWhenWritten = lastSeen is null ? TimeSpan.Zero : written - lastSeen.Value;
        if (silentWhenWritten > 3 * input.HeartbeatInterval)
            yield return DoctorCheck.Warn(Step, "live.heartbeat", $"{who} is connected but silent for {RunningInstance.Ago(silentWhenWritten)} (heartbeat every {input.HeartbeatInterval.TotalSeconds:0} s)",
                "the connection is probably half-open: check the box's network; it reconnects by itself, or restart bmw-rules");
        else
            yield return DoctorCheck.Ok(Step, "live.connected", $"{who} connected{Since(s.ConnectedAt, now)}, last heard {RunningInstance.Ago(silentFor)} ago{Boot(s.Boot)}");

        yield return DoctorCheck.Info(Step, "live.state", $"{who}: {Describe(s)}");

        if (s.Status == ConnectorStatus.Faulted)
            yield return DoctorCheck.Warn(Step, "live.faulted", $"{who} reports Faulted", "check the box (LED, installer app); a reboot often clears it");
        else if (s.Status == ConnectorStatus.Occupied && !s.TransactionActive)
            yield return DoctorCheck.Info(Step, "live.transaction", $"{who}: a car is plugged in but no transaction runs, so limits cannot be applied yet",
                "the box waits for the car or an authorization: start a session (MQTT <base>/<name>/set/start) or replug");

        if (s.LastRejected is { } rejected)
        {
            var message = $"{who}: last refused command {RunningInstance.Ago(now - rejected.At)} ago: {rejected.Action}: {rejected.Message}";
            var fix = RejectionAdvice.For(rejected);
            yield return now - rejected.At <= RecentRejection
                ? DoctorCheck.Warn(Step, "live.rejected", message, fix)
                : DoctorCheck.Info(Step, "live.rejected", message, fix);
        }

        if (s.RebootsLast24h >= RebootsWorthAWarning)
            yield return DoctorCheck.Warn(Step, "live.reboots", $"{who} rebooted {s.RebootsLast24h} times in the last 24 h",
                "bmw-rules reboots the box when it refuses every profile; check the refused commands, or set wallbox.allow_reboot: false");
    }

    private static string Describe(StationStatus s)
    {
        var parts = new List<string> { $"status {s.Status?.ToString() ?? "unknown"}" };
        parts.Add(s.TransactionActive ? $"transaction {s.TransactionId ?? "?"} ({s.ChargingState?.ToString() ?? "state unknown"})" : "no transaction");
        if (s.Limit is { } limit)
            parts.Add($"limit {limit:0.#} A from {s.LimitSource ?? "?"}" + (s.AppliedLimit is { } applied ? $", box applied {applied:0.#} A" : ", not yet applied"));
        parts.Add($"{s.RebootsLast24h} reboot(s) in 24 h");
        return string.Join(", ", parts);
    }

    private static string Since(DateTimeOffset? at, DateTimeOffset now) =>
        at is { } t ? $" for {RunningInstance.Ago(now - t)}" : "";

    private static string Boot(BootStatus? boot) =>
        boot is null ? "" : $"; booted {boot.At:yyyy-MM-dd HH:mm}Z ({boot.Reason}) {boot.Vendor} {boot.Model} {boot.Firmware}".TrimEnd();

    private static DateTimeOffset? Latest(params DateTimeOffset?[] times) =>
        times.Where(t => t is not null).Max();
}
