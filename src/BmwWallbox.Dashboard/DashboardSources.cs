using BmwWallbox.Core;
using BmwWallbox.Rules.Engine;

namespace BmwWallbox.Dashboard;

/// <summary>
/// What the dashboard reads and steers: the composition's parts, never the box directly. Every action goes
/// through <see cref="Controllers"/> (as the MQTT commands do) or <see cref="Rules"/>.
/// </summary>
/// <param name="History">The charging history; null = history is off (the page says so).</param>
/// <param name="MinCurrent">wallbox.min_current: the lowest current a person may set (besides 0 = pause).</param>
/// <param name="MaxCurrent">wallbox.max_current: the highest, and what "charge now" claims.</param>
/// <param name="TimeZone">The day of the day's chart and the months of the history.</param>
/// <param name="Modes">The stations' charge modes; null when the run has none (the page then shows no mode).</param>
/// <param name="Plans">The planner's targets (the plan mode follows them); null when no planner runs.</param>
/// <param name="Certificate">The TLS certificate the OCPP server presents now; null without TLS. The page warns before it expires.</param>
public sealed record DashboardSources(
    IWallboxStates States,
    IChargeControllers Controllers,
    ISignals Signals,
    RuleRuntime Rules,
    ISessionHistory? History,
    double MinCurrent,
    double MaxCurrent,
    TimeZoneInfo TimeZone,
    IChargeModes? Modes = null,
    IPlanTargets? Plans = null,
    Func<TlsCertificateInfo?>? Certificate = null);
