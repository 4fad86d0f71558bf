using BmwWallbox.Core;
using BmwWallbox.Rules.Engine;
using BmwWallbox.Rules.Engine.Tracing;

namespace BmwWallbox.Dashboard;

/// <summary>Everything the main page shows at one moment (sent as JSON on load and on every change).</summary>
internal sealed record DashboardSnapshot(
    DateTimeOffset Now,
    string TimeZone,
    CurrentLimits Limits,
    bool HistoryEnabled,
    IReadOnlyList<StationView> Stations,
    IReadOnlyList<SignalReading> Signals,
    IReadOnlyList<RuleStats> Rules,
    IReadOnlyList<Problem> RuleProblems,
    IReadOnlyList<TraceView> Traces,
    string? CertificateNotice);

internal sealed record CurrentLimits(double Min, double Max);

/// <summary>
/// One station: what the box reports and what the controller wants, with the claims behind the limit.
/// <see cref="Mode"/> is the station's charge mode (off, now, minsolar, solar, plan); null when the run has no modes.
/// <see cref="Plan"/> is the planner's target ("30 kWh by 07:00"); null without one or without a planner.
/// <see cref="ModeInactive"/> says why the mode holds no claim although it should (solar without a surplus signal).
/// </summary>
internal sealed record StationView(
    string Id,
    string Name,
    bool Connected,
    string? Status,
    string? ChargingState,
    string? TransactionId,
    DateTimeOffset? TransactionStartedAt,
    double? PowerW,
    double? EnergyWh,
    double? CurrentA,
    PhaseValues? PhaseCurrentA,
    double? VoltageV,
    DateTimeOffset? MeterAt,
    LimitView Limit,
    string? Mode,
    string? Plan = null,
    string? ModeInactive = null);

internal sealed record LimitView(
    double Effective,
    string Source,
    double? Applied,
    bool Paused,
    bool Rebooting,
    IReadOnlyList<ClaimView> Claims,
    ActionResult? LastRejected);

/// <summary>A held claim; <see cref="SetsLimit"/> marks the one that sets the effective limit ("why is it 10 A?").</summary>
internal sealed record ClaimView(string Source, double Amps, string Kind, DateTimeOffset Since, DateTimeOffset? ExpiresAt, bool EndsOnUnplug, string? Reason, bool SetsLimit);

internal sealed record TraceView(string RuleId, long Run, DateTimeOffset At, string Trigger, string Result, string? Error, IReadOnlyList<TraceAction> Actions);

/// <summary>The answer to every action: what the controller (or the rules runtime) said.</summary>
internal sealed record ActionView(string Action, string Outcome, bool Ok, string Message)
{
    public static ActionView From(ActionResult r) => new(r.Action, r.Outcome.ToString(), r.Ok, r.Message);
}

internal sealed record ErrorView(string Error);

internal sealed record ChartView(string Station, DateTimeOffset From, string? SolarSignal, string? HouseSignal, IReadOnlyList<ChartPoint> Points, IReadOnlyList<ChartMark> Marks);

internal sealed record HistoryView(bool Enabled, string? Message, IReadOnlyList<ChargingSession> Sessions, IReadOnlyList<MonthTotal> Months);

internal static class DashboardViews
{
    public static DashboardSnapshot Snapshot(DashboardSources s, RecentTraces traces, DateTimeOffset now) => new(
        now,
        s.TimeZone.Id,
        new CurrentLimits(s.MinCurrent, s.MaxCurrent),
        s.History is not null,
        [.. s.Controllers.All.Select(c => Station(c, s.States.Get(c.StationId), s.Modes?.ModeOf(c.StationId), s.Plans?.TargetOf(c.StationId), s.Modes?.InactiveReason(c.StationId)))],
        [.. s.Signals.Names.Order(StringComparer.Ordinal).Select(s.Signals.Get)],
        s.Rules.Stats(),
        s.Rules.LoadErrors,
        [.. traces.All().AsEnumerable().Reverse().Take(20).Select(Trace)],
        s.Certificate?.Invoke()?.Notice(now));

    public static StationView Station(IChargeController controller, WallboxState? state, ChargeMode? mode = null, PlanTarget? plan = null, string? modeInactive = null)
    {
        var control = controller.Control;
        var claims = control.Claims.Select(c => new ClaimView(c.Source, c.Amps, c.Kind.ToString(), c.Since, c.ExpiresAt, c.EndsOnUnplug, c.Reason, c.Source == control.LimitSource)).ToList();
        var limit = new LimitView(control.EffectiveLimit, control.LimitSource, control.AppliedLimit, control.Paused, control.Rebooting, claims, control.LastRejected);
        return new StationView(controller.StationId, controller.Name, state?.Connected ?? false, state?.Status?.ToString(), state?.ChargingState?.ToString(),
            state?.HasActiveTransaction == true ? state.Transaction!.Id : null, state?.HasActiveTransaction == true ? state.Transaction!.StartedAt : null,
            state?.PowerW, state?.EnergyWh, state?.CurrentA, state?.PhaseCurrentA, state?.VoltageV, state?.MeterAt, limit, mode is { } m ? ChargeModeText.Of(m) : null, plan?.ToString(), modeInactive);
    }

    public static TraceView Trace(RuleTrace t) => new(t.RuleId, t.Run, t.FinishedAt, t.Trigger.Description, t.Result, t.Error, t.Actions);
}
