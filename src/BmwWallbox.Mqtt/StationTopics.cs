using System.Globalization;
using BmwWallbox.Core;

namespace BmwWallbox.Mqtt;

/// <summary>
/// The retained state topics of one station, <c>&lt;base&gt;/&lt;name&gt;/…</c>. Units: W, kWh,
/// A, V; an unknown value is an empty payload (which clears the retained topic). While the box is
/// offline its power, current and voltage are unknown: the last reading would look live.
/// The energy meter reading stays (it is still true).
/// </summary>
internal static class StationTopics
{
    public static readonly string[] Keys =
        ["connected", "status", "charging_state", "power", "energy", "current", "voltage", "limit", "limit_source", "transaction_id", "phases"];

    /// <summary>
    /// What the topics show, as values: compared with what was shown before any payload is formatted, so a
    /// meter reading that changes only the energy formats only the energy.
    /// </summary>
    public readonly record struct Inputs(
        bool? Connected, ConnectorStatus? Status, ChargingState? ChargingState, double? PowerW, double? EnergyWh, double? CurrentA,
        double? VoltageV, double? Limit, string? LimitSource, string? TransactionId, int? Phases)
    {
        public static Inputs Of(WallboxState? state, ControlState? control)
        {
            var live = state is { Connected: true } ? state : null;
            return new Inputs(state?.Connected, state?.Status, state?.ChargingState, live?.PowerW, state?.EnergyWh, live?.CurrentA, live?.VoltageV,
                control?.EffectiveLimit, control?.LimitSource, state is { HasActiveTransaction: true } ? state.Transaction!.Id : null, control?.Phases);
        }
    }

    /// <summary>False when the topic <see cref="Keys"/>[<paramref name="key"/>] shows the same for both.</summary>
    public static bool Differs(int key, in Inputs a, in Inputs b) => key switch
    {
        0 => a.Connected != b.Connected,
        1 => a.Status != b.Status,
        2 => a.ChargingState != b.ChargingState,
        3 => !Nullable.Equals(a.PowerW, b.PowerW),
        4 => !Nullable.Equals(a.EnergyWh, b.EnergyWh),
        5 => !Nullable.Equals(a.CurrentA, b.CurrentA),
        6 => !Nullable.Equals(a.VoltageV, b.VoltageV),
        7 => !Nullable.Equals(a.Limit, b.Limit),
        8 => a.LimitSource != b.LimitSource,
        9 => a.TransactionId != b.TransactionId,
        10 => a.Phases != b.Phases,
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };

    /// <summary>The payload of the topic <see cref="Keys"/>[<paramref name="key"/>].</summary>
    public static string Payload(int key, in Inputs v) => key switch
    {
        0 => v.Connected is { } connected ? connected ? "true" : "false" : "",
        1 => v.Status?.ToString() ?? "",
        2 => v.ChargingState?.ToString() ?? "",
        3 => Number(v.PowerW, "0.#"),
        4 => Number(v.EnergyWh / 1000, "0.###"),
        5 => Number(v.CurrentA, "0.##"),
        6 => Number(v.VoltageV, "0.#"),
        7 => Number(v.Limit, "0.##"),
        8 => v.LimitSource ?? "",
        9 => v.TransactionId ?? "",
        // The phases a box that switches was told to charge on (1 or 3); empty for a box that does not switch (the BMW box).
        10 => v.Phases is { } phases ? phases.ToString(CultureInfo.InvariantCulture) : "",
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };

    private static string Number(double? value, string format)
        => value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "";
}
