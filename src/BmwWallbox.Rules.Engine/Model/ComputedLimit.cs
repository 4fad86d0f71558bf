using BmwWallbox.Core;

namespace BmwWallbox.Rules.Engine.Model;

/// <summary>
/// A level rule's <c>limit:</c> written as an expression over signals and a few wallbox values
/// (e.g. <c>"(surplus - 500) / 230 / wallbox.phases"</c>), re-computed whenever an input changes.
/// <see cref="Signals"/> are the signal names it reads, each at its character in the file (for validation).
/// </summary>
internal sealed record ComputedLimit(SignalExpression Expression, SourceLocation Location, IReadOnlyList<(string Signal, SourceLocation At)> Signals);

/// <summary>The wallbox values a computed limit may read, as <c>wallbox.NAME</c>.</summary>
internal static class LimitInputs
{
    public const string Prefix = "wallbox.";

    public static readonly IReadOnlyList<string> WallboxNames =
        ["wallbox.phases", "wallbox.min_current", "wallbox.max_current", "wallbox.voltage_nominal", "wallbox.power", "wallbox.current"];

    /// <summary>The value of a <c>wallbox.*</c> input: the installation (phases, currents, nominal voltage) or the box's measurement; null when unknown.</summary>
    public static double? Read(string name, Installation? installation, WallboxState? state) => name switch
    {
        "wallbox.phases" => installation?.Phases,
        "wallbox.min_current" => installation?.MinCurrent,
        "wallbox.max_current" => installation?.MaxCurrent,
        "wallbox.voltage_nominal" => installation?.Voltage,
        "wallbox.power" => WallboxFields.Read(WallboxField.Power, state, null).Number,
        "wallbox.current" => WallboxFields.Read(WallboxField.Current, state, null).Number,
        _ => null,
    };
}
