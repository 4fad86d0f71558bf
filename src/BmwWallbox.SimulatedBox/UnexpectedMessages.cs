using System.Text.Json.Nodes;
using static BmwWallbox.SimulatedBox.OcppJson;

namespace BmwWallbox.SimulatedBox;

/// <summary>
/// Quirk 2: the messages a minimal CSMS does not expect, sent by the real box at boot and at
/// plug-in. They are marked <see cref="Outgoing.Extra"/>: a CALLERROR to one breaks the session.
/// </summary>
internal static class UnexpectedMessages
{
    /// <summary>After an accepted BootNotification.</summary>
    public static IEnumerable<Outgoing> AtBoot(DateTimeOffset at, BootSequence boot, string connectorStatus, DeviceModel device)
    {
        var timestamp = Timestamp(at);
        yield return new Outgoing("SecurityEventNotification", new JsonObject
        {
            ["type"] = boot.Reason == "PowerUp" ? "StartupOfTheDevice" : "ResetOrReboot",
            ["timestamp"] = timestamp,
        }, Extra: true);
        yield return new Outgoing("NotifyEvent", new JsonObject
        {
            ["generatedAt"] = timestamp,
            ["seqNo"] = 0,
            ["eventData"] = new JsonArray(new JsonObject
            {
                ["eventId"] = boot.Count,
                ["timestamp"] = timestamp,
                ["trigger"] = "Delta",
                ["actualValue"] = connectorStatus,
                ["eventNotificationType"] = "HardWiredNotification",
                ["component"] = new JsonObject { ["name"] = "ChargingStation" },
                ["variable"] = new JsonObject { ["name"] = "AvailabilityState" },
            }),
        }, Extra: true);
        yield return new Outgoing("NotifyReport", new JsonObject
        {
            ["requestId"] = 0,
            ["generatedAt"] = timestamp,
            ["seqNo"] = 0,
            ["reportData"] = new JsonArray(device.ReportEntry(device.Find("TxCtrlr", "StopTxOnEVSideDisconnect", null)!)),
        }, Extra: true);
        yield return new Outgoing("ClearedChargingLimit", new JsonObject
        {
            ["chargingLimitSource"] = "Other",
            ["evseId"] = 1,
        }, Extra: true);
    }

    /// <summary>After the TransactionEvent Started of a plug-in.</summary>
    public static IEnumerable<Outgoing> AtPlugIn(SimulatedCar car, double wantedWh, SimulatedBoxOptions options)
    {
        var energyWh = (int)Math.Round(wantedWh);
        yield return new Outgoing("NotifyEVChargingNeeds", new JsonObject
        {
            ["evseId"] = 1,
            ["chargingNeeds"] = new JsonObject
            {
                // EnergyTransferModeEnumType of OCPP 2.0.1 (the "_core" names are ISO 15118's, not OCPP's).
                ["requestedEnergyTransfer"] = Math.Min(car.Phases, options.Phases) switch
                {
                    1 => "AC_single_phase",
                    2 => "AC_two_phase",
                    _ => "AC_three_phase",
                },
                ["acChargingParameters"] = new JsonObject
                {
                    ["energyAmount"] = Math.Max(0, energyWh),
                    ["evMinCurrent"] = (int)Math.Ceiling(car.MinCurrentAmps),
                    ["evMaxCurrent"] = (int)Math.Floor(car.MaxCurrentAmps),
                    ["evMaxVoltage"] = (int)Math.Round(options.VoltageV),
                },
            },
        }, Extra: true);
        yield return new Outgoing("NotifyChargingLimit", new JsonObject
        {
            ["chargingLimit"] = new JsonObject { ["chargingLimitSource"] = "Other", ["isGridCritical"] = false },
            ["evseId"] = 1,
        }, Extra: true);
    }
}
