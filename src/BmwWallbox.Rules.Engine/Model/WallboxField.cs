using System.Globalization;
using BmwWallbox.Core;

namespace BmwWallbox.Rules.Engine.Model;

/// <summary>The wallbox values rules can test, as named in YAML (snake_case) and the MQTT state topics.</summary>
internal enum WallboxField { Connected, Status, ChargingState, Transaction, Power, Energy, Current, Voltage, Limit, LimitSource }

/// <summary>A field's value as text (for is:/from:/to:) and number (for above:/below:); Text null = unavailable.</summary>
internal readonly record struct FieldReading(string? Text, double? Number)
{
    public bool Available => Text is not null;
    public string Display => Text ?? StateMatcher.Unavailable;
}

internal static class WallboxFields
{
    public const string NoTransaction = "none";

    public static readonly IReadOnlyDictionary<string, WallboxField> ByName = new Dictionary<string, WallboxField>(StringComparer.Ordinal)
    {
        ["connected"] = WallboxField.Connected,
        ["status"] = WallboxField.Status,
        ["charging_state"] = WallboxField.ChargingState,
        ["transaction"] = WallboxField.Transaction,
        ["power"] = WallboxField.Power,
        ["energy"] = WallboxField.Energy,
        ["current"] = WallboxField.Current,
        ["voltage"] = WallboxField.Voltage,
        ["limit"] = WallboxField.Limit,
        ["limit_source"] = WallboxField.LimitSource,
    };

    /// <summary>Fields whose changes arrive as wallbox events (and so can be from:/to: triggers).</summary>
    public static readonly IReadOnlyList<string> TriggerFields = ["connected", "status", "charging_state", "transaction"];

    public static string Name(WallboxField field) => ByName.First(kv => kv.Value == field).Key;

    public static bool IsNumeric(WallboxField field) =>
        field is WallboxField.Power or WallboxField.Energy or WallboxField.Current or WallboxField.Voltage or WallboxField.Limit;

    /// <summary>The values <c>is:</c>, <c>from:</c> and <c>to:</c> may name; null when any text goes (limit_source).</summary>
    public static IReadOnlyList<string>? AllowedValues(WallboxField field) => field switch
    {
        WallboxField.Connected or WallboxField.Transaction => ["true", "false"],
        WallboxField.Status => Enum.GetNames<ConnectorStatus>(),
        WallboxField.ChargingState => [.. Enum.GetNames<ChargingState>(), NoTransaction],
        _ => null,
    };

    /// <summary>
    /// Reads a field. While the box is not connected its measurements are stale, so everything but
    /// <c>connected</c> and the controller's own limit reads as unavailable.
    /// </summary>
    public static FieldReading Read(WallboxField field, WallboxState? state, ControlState? control)
    {
        if (field == WallboxField.Limit) return control is null ? default : Number(control.EffectiveLimit);
        if (field == WallboxField.LimitSource) return control is null ? default : new FieldReading(control.LimitSource, null);
        if (field == WallboxField.Connected) return state is null ? new FieldReading("false", 0) : Bool(state.Connected);
        if (state is not { Connected: true }) return default;
        return field switch
        {
            WallboxField.Status => state.Status is { } s ? new FieldReading(s.ToString(), null) : default,
            WallboxField.ChargingState => new FieldReading(state.ChargingState?.ToString() ?? NoTransaction, null),
            WallboxField.Transaction => Bool(state.HasActiveTransaction),
            WallboxField.Power => Number(state.PowerW),
            WallboxField.Energy => Number(state.EnergyWh),
            WallboxField.Current => Number(state.CurrentA),
            WallboxField.Voltage => Number(state.VoltageV),
            _ => default,
        };
    }

    private static FieldReading Bool(bool value) => new(value ? "true" : "false", value ? 1 : 0);

    private static FieldReading Number(double? value) =>
        value is { } v ? new FieldReading(v.ToString("0.###", CultureInfo.InvariantCulture), v) : default;
}
