using BmwWallbox.Charging.Tests.TestDoubles;
using BmwWallbox.Core;

namespace BmwWallbox.Charging.Tests;

public class ClaimArbitrationTests
{
    [Fact]
    public async Task With_no_claim_the_box_is_kept_at_max_current_from_default()
    {
        await using var h = new Harness();
        await h.Connect();

        Assert.Equal(32, h.Control.EffectiveLimit);
        Assert.Equal("default", h.Control.LimitSource);
        Assert.Equal(32, h.Control.AppliedLimit);
        Assert.Equal(32, h.Link.Profiles.Single().LimitAmps);
    }

    [Fact]
    public async Task A_cap_and_a_set_compose_to_the_lower_and_releasing_the_cap_restores_the_set()
    {
        await using var h = new Harness();
        await h.Charging();

        await h.Claim("rule:cap", 10);
        await h.Claim("rule:solar", 16);
        Assert.Equal(10, h.Control.EffectiveLimit);
        Assert.Equal("rule:cap", h.Control.LimitSource);
        Assert.Equal(10, h.Control.AppliedLimit);

        var released = await h.Release("rule:cap");
        Assert.True(released.Ok, released.ToString());
        Assert.Equal(16, h.Control.EffectiveLimit);
        Assert.Equal("rule:solar", h.Control.LimitSource);

        // The raise waits for the rate limit, then goes out.
        await h.Advance(h.Options.MinChangeInterval);
        Assert.Equal(16, h.Control.AppliedLimit);
        Assert.Equal(16, h.Link.Profiles.Last().LimitAmps);
    }

    [Fact]
    public async Task Charge_now_as_a_manual_claim_beats_a_rule_pause_until_the_car_is_unplugged()
    {
        await using var h = new Harness(new WallboxOptions { MinChangeInterval = TimeSpan.Zero });
        await h.Charging();
        await h.Claim("rule:solar", 0);
        Assert.Equal(0, h.Control.AppliedLimit);

        var chargeNow = await h.Claim("mqtt", 32, ClaimKind.Manual, endsOnUnplug: true);

        Assert.True(chargeNow.Ok, chargeNow.ToString());
        Assert.Equal(32, h.Control.EffectiveLimit);
        Assert.Equal("mqtt", h.Control.LimitSource);
        Assert.Equal(32, h.Control.AppliedLimit);

        await h.EndTransaction();

        Assert.DoesNotContain(h.Control.Claims, c => c.Source == "mqtt");
        Assert.Equal(0, h.Control.EffectiveLimit);
        Assert.Equal("rule:solar", h.Control.LimitSource);
        Assert.Equal(0, h.Control.AppliedLimit);
    }

    [Fact]
    public async Task A_manual_pause_holds_against_a_rule_that_raises_the_limit()
    {
        await using var h = new Harness();
        await h.Charging();
        await h.Claim("cli", 0, ClaimKind.Manual);
        h.Link.Clear();

        var ruleRaise = await h.Claim("rule:solar", 16);
        await h.Advance(TimeSpan.FromHours(1));

        Assert.True(ruleRaise.Ok, ruleRaise.ToString());
        Assert.Equal(0, h.Control.EffectiveLimit);
        Assert.Equal("cli", h.Control.LimitSource);
        Assert.Equal(0, h.Control.AppliedLimit);
        Assert.DoesNotContain(h.Link.Profiles, p => p.LimitAmps > 0);
    }

    [Fact]
    public async Task Equal_claims_are_settled_by_the_oldest()
    {
        await using var h = new Harness();
        await h.Claim("rule:b", 10);
        await h.Advance(TimeSpan.FromSeconds(1));
        await h.Claim("rule:a", 10);

        Assert.Equal("rule:b", h.Control.LimitSource);
        await h.Release("rule:b");
        Assert.Equal("rule:a", h.Control.LimitSource);
    }

    [Fact]
    public async Task A_claim_ends_at_its_expiry_and_the_limit_follows()
    {
        await using var h = new Harness();
        await h.Charging();
        await h.Claim("rule:peak", 10, expiresAt: h.Time.GetUtcNow().AddMinutes(10));
        Assert.Equal(10, h.Control.AppliedLimit);

        await h.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.Contains(h.Control.Claims, c => c.Source == "rule:peak");

        await h.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(h.Control.Claims);
        Assert.Equal("default", h.Control.LimitSource);
        Assert.Equal(32, h.Control.AppliedLimit);
    }

    [Fact]
    public async Task A_manual_claim_without_an_end_gets_the_configured_duration_and_ends_on_unplug()
    {
        var options = new WallboxOptions { ManualClaimDuration = TimeSpan.FromHours(3) };
        await using var h = new Harness(options);

        await h.Claim("mqtt", 16, ClaimKind.Manual);

        var claim = Assert.Single(h.Control.Claims);
        Assert.Equal(h.Time.GetUtcNow().AddHours(3), claim.ExpiresAt);
        Assert.True(claim.EndsOnUnplug);
    }

    [Fact]
    public async Task A_rule_claim_keeps_the_end_it_asked_for()
    {
        await using var h = new Harness();
        await h.Claim("rule:cap", 16);

        var claim = Assert.Single(h.Control.Claims);
        Assert.Null(claim.ExpiresAt);
        Assert.False(claim.EndsOnUnplug);
    }

    [Fact]
    public async Task End_on_unplug_claims_also_end_when_the_connector_turns_available()
    {
        await using var h = new Harness();
        await h.Charging();
        await h.Claim("mqtt", 20, ClaimKind.Manual, endsOnUnplug: true);
        await h.Claim("rule:cap", 16);

        await h.Unplug();

        var left = Assert.Single(h.Control.Claims);
        Assert.Equal("rule:cap", left.Source);
    }

    [Fact]
    public async Task A_first_status_report_without_a_previous_status_does_not_end_claims()
    {
        await using var h = new Harness();
        await h.Claim("mqtt", 32, ClaimKind.Manual, endsOnUnplug: true);

        await h.Emit(WallboxEventKind.StatusChanged, s => s with { Connected = true, Status = ConnectorStatus.Available });

        Assert.Single(h.Control.Claims);
    }

    [Fact]
    public async Task Control_changes_are_announced()
    {
        await using var h = new Harness();
        var seen = new List<ControlState>();
        h.Controller.ControlChanged += seen.Add;

        await h.Claim("rule:cap", 10);

        Assert.Contains(seen, s => s.EffectiveLimit == 10 && s.LimitSource == "rule:cap");
    }
}
