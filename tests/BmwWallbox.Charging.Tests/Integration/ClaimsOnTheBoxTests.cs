using BmwWallbox.Core;
using BmwWallbox.SimulatedBox;
using Xunit.Abstractions;

namespace BmwWallbox.Charging.Tests.Integration;

/// <summary>Claims, the safety envelope and pacing, seen from the (simulated) BMW box.</summary>
public sealed class ClaimsOnTheBoxTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_cap_and_a_higher_claim_compose_to_the_cap_and_releasing_the_cap_raises_the_box()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.AllOn);
        await rig.PlugInAsync();

        await rig.Claim("rule:evening-cap", 10);
        await rig.Claim("rule:solar", 16);
        rig.AssertBoxAtEffectiveLimit(10);
        Assert.Equal("rule:evening-cap", rig.Control.LimitSource);

        var released = await rig.Release("rule:evening-cap");

        Assert.True(released.Ok, released.ToString());
        rig.AssertBoxAtEffectiveLimit(16);
        Assert.Equal("rule:solar", rig.Control.LimitSource);
    }

    [Fact]
    public async Task A_manual_claim_outranks_a_rule_pause_on_the_box_until_it_is_released()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.AllOn);
        await rig.PlugInAsync();
        await rig.ClaimAndWaitAsync("rule:solar", 0, reported: "SuspendedEVSE");

        await rig.ClaimAndWaitAsync("mqtt", 12, reported: "Charging", ClaimKind.Manual); // "charge now"
        rig.AssertBoxAtEffectiveLimit(12);

        await rig.ReleaseAndWaitAsync("mqtt", reported: "SuspendedEVSE");
        rig.AssertBoxAtEffectiveLimit(0);
        Assert.Equal(0, rig.Box.ReceivedCallCount("RequestStopTransaction"));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public async Task An_invalid_current_is_refused_with_a_reason_and_never_reaches_the_box(double amps)
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.AllOn);
        await rig.PlugInAsync();
        await rig.Claim("rule:cap", 10);
        var sent = rig.Box.ReceivedCallCount("SetChargingProfile");

        var result = await rig.Claim("rule:cap", amps);
        await rig.IdleAsync();

        Assert.Equal(ActionOutcome.Rejected, result.Outcome);
        Assert.StartsWith("Invalid current", result.Message);
        Assert.Equal(sent, rig.Box.ReceivedCallCount("SetChargingProfile"));
        Assert.Equal(10, rig.Control.Claims.Single().Amps); // the old claim is untouched
        rig.AssertBoxAtEffectiveLimit(10);
    }

    [Fact]
    public async Task Out_of_range_currents_are_clamped_or_made_a_pause_so_the_box_only_ever_sees_0_or_6_to_max()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.AllOn);
        await rig.PlugInAsync();
        await rig.Claim("rule:cap", 10);

        var tooHigh = await rig.Claim("rule:cap", 100);
        Assert.True(tooHigh.Ok, tooHigh.ToString());
        Assert.Contains("100 A clamped to max 16 A", tooHigh.Message);
        rig.AssertBoxAtEffectiveLimit(16);

        var tooLow = await rig.ClaimAndWaitAsync("rule:cap", 3, reported: "SuspendedEVSE");
        Assert.True(tooLow.Ok, tooLow.ToString());
        Assert.Contains("3 A is below min 6 A: pause (0 A)", tooLow.Message);
        rig.AssertBoxAtEffectiveLimit(0);

        var limits = rig.ProfilesReceived().Select(p => p.Limit).ToArray();
        Assert.Contains(16, limits);
        Assert.All(limits, limit => Assert.True(limit == 0 || limit is >= 6 and <= 16, $"the box was sent {limit} A"));
    }

    [Fact]
    public async Task A_raise_waits_for_the_change_interval_while_a_lower_limit_goes_out_at_once()
    {
        var interval = TimeSpan.FromSeconds(30);
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.AllOn, wallbox: o => o with { MinChangeInterval = interval });
        await rig.PlugInAsync();

        var lower = await rig.Claim("rule:cap", 10);
        rig.AssertBoxAtEffectiveLimit(10);
        Assert.DoesNotContain("rate limit", lower.Message);

        var raise = await rig.Release("rule:cap");
        Assert.Contains("raised to 16 A in 30 s (rate limit)", raise.Message);
        Assert.Equal((16.0, 10.0), (rig.Control.EffectiveLimit, rig.Control.AppliedLimit));
        Assert.Equal(10, rig.Box.AppliedLimitAmps);

        await rig.Timers.AdvanceWhenArmedAsync(interval);
        await rig.Box.WaitForAppliedLimitAsync(16).WaitAsync(LiveRig.Guard);
        await rig.IdleAsync();
        rig.AssertBoxAtEffectiveLimit(16);
    }

    [Fact]
    public async Task A_resume_beyond_the_hourly_pause_cycles_is_deferred_and_the_car_stays_paused_until_a_slot_frees()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.AllOn, wallbox: o => o with { MaxPauseCyclesPerHour = 1 });
        await rig.PlugInAsync();
        await rig.ClaimAndWaitAsync("rule:solar", 0, reported: "SuspendedEVSE");
        await rig.ReleaseAndWaitAsync("rule:solar", reported: "Charging"); // the one cycle of this hour
        await rig.ClaimAndWaitAsync("rule:solar", 0, reported: "SuspendedEVSE");

        var deferred = await rig.Release("rule:solar");

        Assert.Contains("resume to 16 A deferred 60 min", deferred.Message);
        Assert.Equal(0, rig.Box.AppliedLimitAmps);
        Assert.Equal("SuspendedEVSE", rig.Box.ChargingState);

        await rig.Timers.AdvanceWhenArmedAsync(TimeSpan.FromHours(1));
        await rig.Box.WaitForAppliedLimitAsync(16).WaitAsync(LiveRig.Guard);
        await rig.IdleAsync();
        rig.AssertBoxAtEffectiveLimit(16);
        Assert.Equal(0, rig.Box.ReceivedCallCount("RequestStopTransaction"));
    }
}
