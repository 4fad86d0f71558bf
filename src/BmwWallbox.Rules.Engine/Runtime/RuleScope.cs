using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Rules.Engine.Tracing;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Engine.Runtime;

/// <summary>Everything one active rule works with: its station, the shared inputs and outputs, its clock and logger.</summary>
internal sealed class RuleScope
{
    public required RuleDefinition Rule { get; init; }
    /// <summary>The rule's station (its <c>station:</c>, else the first configured); null when none is configured.</summary>
    public required IChargeController? Controller { get; init; }
    public required ISignals Signals { get; init; }
    public required IWallboxStates Wallboxes { get; init; }
    public required IMessageBus Bus { get; init; }
    public required TimeProvider Time { get; init; }
    public required TimeZoneInfo TimeZone { get; init; }
    public required ILogger Logger { get; init; }
    public required ScriptLimits Limits { get; init; }
    public required RuleStore Store { get; init; }
    public required TraceLog Traces { get; init; }
    public required RuleStatsBook Stats { get; init; }
    /// <summary>The planner the <c>plan</c> action and <c>wallbox.setPlan()</c> set targets on; null where none runs.</summary>
    public IPlanTargets? Plans { get; init; }

    /// <summary>The stations' charge modes (the <c>mode:</c> action, <c>wallbox.setMode</c>); null when the run has none.</summary>
    public IChargeModes? Modes { get; init; }

    /// <summary>The history's open sessions (<c>wallbox.sessionEnergy</c>, <c>wallbox.pluggedInAt</c>); null when no history is recorded.</summary>
    public IOpenSessions? Sessions { get; init; }
    /// <summary>The rule's work that is queued or running (see <see cref="WorkCounter"/>).</summary>
    public WorkCounter Busy { get; } = new();

    public string Id => Rule.Id;

    public WallboxState? Wallbox => Controller is null ? null : Wallboxes.Get(Controller.StationId);

    public FieldReading Read(WallboxField field) => WallboxFields.Read(field, Wallbox, Controller?.Control);

    public DateTimeOffset LocalNow => TimeZoneInfo.ConvertTime(Time.GetUtcNow(), TimeZone);

    public async Task RecordAsync(TraceBuilder trace, string result, CancellationToken ct)
    {
        var built = trace.Build(Time.GetUtcNow(), result);
        Stats.Finished(built);
        await Traces.RecordAsync(built, ct);
    }
}
