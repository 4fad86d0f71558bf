using BmwWallbox.Core;
using BmwWallbox.Rules.Engine.Model;
using BmwWallbox.Rules.Engine.Scripting;
using BmwWallbox.Rules.Engine.Tracing;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Rules.Engine.Runtime;

/// <summary>The shared parts every compiled rule is built with.</summary>
internal sealed record RuleServices(
    ISignals Signals,
    IWallboxStates Wallboxes,
    IChargeControllers Controllers,
    IMessageBus Bus,
    TimeProvider Time,
    TimeZoneInfo TimeZone,
    ILoggerFactory Loggers,
    ScriptLimits Limits,
    RuleStore Store,
    TraceLog Traces,
    RuleStatsBook Stats,
    IPlanTargets? Plans = null,
    IChargeModes? Modes = null,
    IOpenSessions? Sessions = null);

/// <summary>Validated rule model → active rule (triggers, conditions, actions, sandbox), the last step of the pipeline.</summary>
internal static class RuleCompiler
{
    public static IActiveRule Compile(RuleDefinition rule, RuleServices services, double? inheritedAmps)
    {
        var scope = new RuleScope
        {
            Rule = rule,
            Controller = StationOf(rule, services.Controllers),
            Signals = services.Signals,
            Wallboxes = services.Wallboxes,
            Bus = services.Bus,
            Time = services.Time,
            TimeZone = services.TimeZone,
            Logger = services.Loggers.CreateLogger($"BmwWallbox.Rules.Engine.Rule.{rule.Id}"),
            Limits = services.Limits,
            Store = services.Store,
            Traces = services.Traces,
            Stats = services.Stats,
            Plans = services.Plans,
            Modes = services.Modes,
            Sessions = services.Sessions,
        };
        var sandbox = new ScriptSandbox(scope);
        return rule.Body switch
        {
            EdgeRuleBody edge => new EdgeRule(scope, edge, sandbox),
            LevelRuleBody level => new LevelRule(scope, level, sandbox, inheritedAmps),
            _ => throw new InvalidOperationException($"unknown rule body {rule.Body.GetType().Name}"),
        };
    }

    /// <summary>The rule's <c>station:</c>, else the first configured station.</summary>
    public static IChargeController? StationOf(RuleDefinition rule, IChargeControllers controllers) =>
        rule.Station is { } name ? controllers.Find(name) : controllers.All.FirstOrDefault();
}
