using System.Globalization;
using BmwWallbox.Core;

namespace BmwWallbox.Charging.Strategies;

/// <summary>
/// Mode solar, as evcc's PV mode: while paused, start once the surplus has covered the car's minimum
/// power (plus <see cref="ModeOptions.EnableThreshold"/>) for <see cref="ModeOptions.EnableDelay"/>;
/// while charging, follow the surplus in 0.1 A steps between min and max current, and when it no longer
/// covers the minimum (less <see cref="ModeOptions.DisableThreshold"/>) hold the minimum for
/// <see cref="ModeOptions.DisableDelay"/> before pausing (longer in a shallow dip when the last dip passed quickly:
/// <see cref="ModeOptions.RideThrough"/>). The delays are what keep the pause/resume cycles few: a passing cloud costs
/// a little grid energy at min current instead of a cycle.
/// On a box that switches phases (<see cref="StrategyInput.CanSwitchPhases"/>) the minimum is the 1-phase
/// one: a surplus between the 1-phase and the 3-phase minimum switches down to one phase instead of
/// pausing, and enough surplus for long enough switches back up (<see cref="PhaseSelector"/>); paused, it starts once the
/// surplus covers <see cref="ModeOptions.OnePhaseEnableShare"/> of the 1-phase minimum, and on one phase the minimum is held
/// down to <see cref="ModeOptions.OnePhaseDisableShare"/> of it.
/// </summary>
internal sealed class SolarStrategy(ModeOptions options, double minCurrent, double maxCurrent, PowerConversion power) : IModeStrategy
{
    private readonly PhaseSelector _phases = new(options, minCurrent, power);
    private bool _enabled;
    private DateTimeOffset? _enableSince;
    private DateTimeOffset? _disableSince;
    // The dip in progress (the surplus below the hold floor since then, charging or paused since), and how long the last one lasted.
    private DateTimeOffset? _dipSince;
    private TimeSpan? _lastDip;

    public void Reset()
    {
        _enabled = false;
        _enableSince = null;
        _disableSince = null;
        _dipSince = null;
        _lastDip = null;
        _phases.Reset();
    }

    public StrategyDecision Decide(StrategyInput input)
    {
        var now = input.Now;
        if (!input.Plugged)
        {
            // Paused while no car is there, so a car plugged in does not start at full current from the grid (quirk 5).
            Reset();
            return new(0, "solar: no car plugged in");
        }
        var switching = input.CanSwitchPhases && _phases.Possible;
        if (!switching) _phases.Fixed();
        var decision = Decide(now, input.SurplusW, switching);
        return switching ? decision with { Phases = _phases.Phases, Reason = decision.Reason + $" [{_phases.Phases} phase(s)]" } : decision;
    }

    private StrategyDecision Decide(DateTimeOffset now, double? surplusW, bool switching)
    {
        // Starting, the least the car can take: one phase when the box switches (from one_phase_enable_share of it).
        var startPower = switching ? _phases.OnePhaseMinW : power.Watts(minCurrent);
        if (surplusW is not { } surplus)
        {
            _enableSince = null;
            _phases.Follow(null, now);
            if (!_enabled) return new(0, "solar: surplus unavailable");
            return Deficit(now, "surplus unavailable", options.DisableDelay);
        }

        if (!_enabled)
        {
            var needed = (switching ? options.OnePhaseEnableShare : options.EnableShare) * startPower + options.EnableThreshold;
            if (surplus < needed)
            {
                _enableSince = null;
                return new(0, $"solar: waiting for surplus ({W(surplus)} of {W(needed)} W)");
            }
            _enableSince ??= now;
            var due = _enableSince.Value + options.EnableDelay;
            if (now < due) return new(0, $"solar: surplus {W(surplus)} W, starting at {due.UtcDateTime:HH:mm:ss}Z", due);
            _enabled = true;
            // Paused through a dip, it was over when the surplus came back (a moment after a pause the reading is not to be trusted).
            DipOver(due - options.EnableDelay);
            _enableSince = null;
            _disableSince = null;
            if (switching) _phases.StartWith(surplus, now);
        }

        var switchDue = switching ? _phases.Follow(surplus, now) : null;
        var active = _phases.Power;
        var minPower = active.Watts(minCurrent);
        // On one phase the minimum is held further down: between starting (enable_share of 1380 W) and disable_share of it lie
        // only a few hundred watts, and the house's load steps would make the car pause and restart over and over.
        var holdShare = switching && _phases.Phases == 1 ? options.OnePhaseDisableShare : options.DisableShare;
        var holdFloor = holdShare * minPower - options.DisableThreshold;
        if (surplus < holdFloor)
        {
            _dipSince ??= now;
            var hold = HoldFor(surplus, minPower);
            var riding = hold > options.DisableDelay ? $", riding out a cloud (the last passed in {Durations.Format(_lastDip!.Value)})" : "";
            var deficit = Deficit(now, $"surplus {W(surplus)} W below {W(holdFloor)} W (min {W(minPower)} W){riding}", hold);
            return switchDue is { } s && deficit.RecheckAt is { } r && s < r ? deficit with { RecheckAt = s } : deficit;
        }
        _disableSince = null;
        DipOver(now);
        var amps = Math.Clamp(Math.Floor(active.Amps(surplus) * 10) / 10, minCurrent, maxCurrent);
        // Between the hold floor and the minimum power the car holds the minimum, partly from the grid: the least the minimum current forces.
        var why = surplus < minPower ? $"solar: surplus {W(surplus)} W covers {(surplus / minPower).ToString("P0", CultureInfo.InvariantCulture)} of min {W(minPower)} W, holding min" : $"solar: surplus {W(surplus)} W";
        return new(amps, why, switchDue);
    }

    /// <summary>Not enough surplus while charging: hold the minimum for <paramref name="hold"/>, then pause.</summary>
    private StrategyDecision Deficit(DateTimeOffset now, string why, TimeSpan hold)
    {
        _disableSince ??= now;
        var due = _disableSince.Value + hold;
        if (now < due) return new(minCurrent, $"solar: {why}, holding min until {due.UtcDateTime:HH:mm:ss}Z", due);
        _enabled = false;
        _disableSince = null;
        return new(0, $"solar: {why}, paused");
    }

    private void DipOver(DateTimeOffset now)
    {
        if (_dipSince is not { } since) return;
        _dipSince = null;
        // Only a dip that outlasted the delay could have cost a pause; shorter ones (among them the moment after a start,
        // when the grid meter shows the car drawing before the box's meter does) say nothing about the clouds.
        if (now - since >= options.DisableDelay) _lastDip = now - since;
    }

    /// <summary>
    /// How long to hold the minimum in a dip: the disable delay; but while holding it takes at most
    /// <see cref="ModeOptions.RideThroughGrid"/> from the grid, and the last dip of this plug-in was over within
    /// <see cref="ModeOptions.RideThrough"/>, as long as that one lasted plus the delay. Clouds that pass quickly tend
    /// to keep doing so, and riding a dip out costs less grid energy than a pause and a restart cost a cycle.
    /// </summary>
    private TimeSpan HoldFor(double surplus, double minPower)
        => _lastDip is { } last && last <= options.RideThrough && minPower - surplus <= options.RideThroughGrid
            ? last + options.DisableDelay
            : options.DisableDelay;

    private static string W(double watts) => watts.ToString("0", CultureInfo.InvariantCulture);
}
