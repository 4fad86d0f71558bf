using BmwWallbox.Core;

namespace BmwWallbox.Doctor.Tests;

/// <summary>Status files as a healthy running daemon (this test process) would write them.</summary>
internal static class StatusFiles
{
    public static StationStatus Connected(string id, DateTimeOffset now) => new()
    {
        Id = id,
        Name = "garage",
        Connected = true,
        ConnectedAt = now.AddHours(-3),
        LastHeartbeatAt = now.AddSeconds(-20),
        Boot = new BootStatus("BMW", "EIAW-E22KTSE6B04", "01.20.06.71", "PowerUp", now.AddHours(-3)),
        Status = ConnectorStatus.Occupied,
        TransactionActive = true,
        TransactionId = "tx-1",
        ChargingState = ChargingState.Charging,
        Limit = 16,
        LimitSource = "rule:solar",
        AppliedLimit = 16,
    };

    public static DaemonStatus Healthy(DateTimeOffset now, int port, params StationStatus[] stations) => new()
    {
        Pid = Environment.ProcessId,
        StartedAt = now.AddHours(-5),
        UpdatedAt = now.AddSeconds(-5),
        Ocpp = new OcppListenStatus { Address = "0.0.0.0", Port = port },
        Stations = stations,
        Rules = new RulesStatus { Loaded = 1, Rules = [new RuleActivity("solar", now.AddMinutes(-1))] },
        Signals = [new SignalStatus("solar_power", 2400, now.AddSeconds(-30), false)],
    };
}
