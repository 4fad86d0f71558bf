using BmwWallbox.Core;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Engine.Model;

internal abstract record ActionDefinition(SourceLocation Location);

internal enum ControllerVerb { Pause, Resume, SetCurrent, Release, Start, Stop, Reboot }

/// <summary>
/// One of the controller's actions. Pause and set_current are claims under the rule's id;
/// resume and release drop that claim. <c>For</c> makes the claim expire, <c>UntilUnplugged</c> ends it on unplug.
/// </summary>
internal sealed record ControllerAction(ControllerVerb Verb, double? Amps, TimeSpan? For, bool UntilUnplugged, SourceLocation Location)
    : ActionDefinition(Location);

/// <summary>Sets (or, with a null target, clears) the plan target of the rule's station: <c>- plan: { energy_kwh: 30, by: "07:00" }</c>.</summary>
internal sealed record PlanAction(BmwWallbox.Core.PlanTarget? Target, SourceLocation Location) : ActionDefinition(Location);

/// <summary>Switch the rule's station to a charge mode (<c>- mode: solar</c>).</summary>
internal sealed record ModeAction(ChargeMode Mode, SourceLocation Location) : ActionDefinition(Location);

internal sealed record PublishAction(string Topic, string Payload, bool Retain, SourceLocation Location) : ActionDefinition(Location);

internal sealed record LogAction(string Message, LogLevel Level, SourceLocation Location) : ActionDefinition(Location);

internal sealed record DelayAction(TimeSpan Duration, SourceLocation Location) : ActionDefinition(Location);

internal sealed record ScriptAction(ScriptSnippet Script, SourceLocation Location) : ActionDefinition(Location);
