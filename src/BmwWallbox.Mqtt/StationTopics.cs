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

    public static IEnumerable<KeyValuePair<string, string>> Values(TopicLayout topics, string station, WallboxState? state, ControlState? control)
    {
        string Pair(string key) => topics.Station(station, key);
        var live = state is { Connected: true } ? state : null;
        yield return new(Pair("connected"), state is null ? "" : state.Connected ? "true" : "false");
        yield return new(Pair("status"), state?.Status?.ToString() ?? "");
        yield return new(Pair("charging_state"), state?.ChargingState?.ToString() ?? "");
        yield return new(Pair("power"), Number(live?.PowerW, "0.#"));
        yield return new(Pair("energy"), Number(state?.EnergyWh / 1000, "0.###"));
        yield return new(Pair("current"), Number(live?.CurrentA, "0.##"));
        yield return new(Pair("voltage"), Number(live?.VoltageV, "0.#"));
        yield return new(Pair("limit"), Number(control?.EffectiveLimit, "0.##"));
        yield return new(Pair("limit_source"), control?.LimitSource ?? "");
        yield return new(Pair("transaction_id"), state is { HasActiveTransaction: true } ? state.Transaction!.Id : "");
        // The phases a box that switches was told to charge on (1 or 3); empty for a box that does not switch (the BMW box).
        yield return new(Pair("phases"), control?.Phases is { } phases ? phases.ToString(CultureInfo.InvariantCulture) : "");
    }

    private static string Number(double? value, string format)
        => value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "";
}
