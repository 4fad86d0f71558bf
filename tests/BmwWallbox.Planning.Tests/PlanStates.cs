using BmwWallbox.Core;

namespace BmwWallbox.Planning.Tests;

/// <summary>Station states the planner's tests set (through TestKit's <c>SettableWallboxStates</c>).</summary>
internal static class PlanStates
{
    /// <summary>The car plugged in with transaction <paramref name="tx"/>, the meter at <paramref name="meterWh"/>.</summary>
    public static WallboxState Plugged(string stationId, string name, double meterWh, string tx = "tx-1", double powerW = 0) => new()
    {
        StationId = stationId,
        Name = name,
        Connected = true,
        Status = ConnectorStatus.Occupied,
        Transaction = new TransactionInfo(tx, DateTimeOffset.UtcNow, ChargingState.Charging, null, 1),
        EnergyWh = meterWh,
        PowerW = powerW,
    };
}
