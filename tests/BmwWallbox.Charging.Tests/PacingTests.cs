using BmwWallbox.Charging.Tests.TestDoubles;
using BmwWallbox.Core;

namespace BmwWallbox.Charging.Tests;

public class PacingTests
{
    [Fact]
    public async Task A_lower_limit_goes_out_at_once_and_a_raise_waits_for_the_rate_limit()
    {
        await using var h = new Harness();
        await h.Charging();

        await h.Claim("rule:cap", 10);
        Assert.Equal(10, h.Link.Profiles.Last().LimitAmps);
        h.Link.Clear();

        var raise = await h.Claim("rule:cap", 16);

        Assert.True(raise.Ok, raise.ToString());
        Assert.Contains("raised to 16 A in 30 s (rate limit)", raise.Message);
        Assert.Equal(16, h.Control.EffectiveLimit);
        Assert.Equal(10, h.Control.AppliedLimit);
        Assert.Empty(h.Link.Profiles);

        await h.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(h.Link.Profiles);

        await h.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(16, Assert.Single(h.Link.Profiles).LimitAmps);
        Assert.Equal(16, h.Control.AppliedLimit);
    }

    [Fact]
    public async Task A_lower_limit_during_a_pending_raise_wins_and_the_raise_is_not_sent()
    {
        await using var h = new Harness();
        await h.Charging();
        await h.Claim("rule:cap", 10);
        await h.Claim("rule:cap", 16);
        h.Link.Clear();

        await h.Claim("rule:cap", 8);
        await h.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal([8.0], h.Link.Profiles.Select(p => p.LimitAmps));
        Assert.Equal(8, h.Control.AppliedLimit);
    }

    [Fact]
    public async Task Resumes_beyond_the_hourly_cap_are_deferred_and_the_car_stays_paused()
    {
        var options = new WallboxOptions { MaxPauseCyclesPerHour = 2, MinChangeInterval = TimeSpan.Zero };
        await using var h = new Harness(options);
        await h.Charging();

        for (var cycle = 0; cycle < 2; cycle++)
        {
            await h.Claim("rule:solar", 0);
            var resume = await h.Release("rule:solar");
            Assert.True(resume.Ok, resume.ToString());
            Assert.Equal(32, h.Control.AppliedLimit);
            await h.Advance(TimeSpan.FromMinutes(1));
        }

        await h.Claim("rule:solar", 0);
        h.Link.Clear();
        var third = await h.Release("rule:solar");

        Assert.True(third.Ok, third.ToString());
        Assert.Contains("deferred", third.Message);
        Assert.Contains("2 pause/resume cycles per hour", third.Message);
        Assert.Equal(0, h.Control.AppliedLimit);
        Assert.Equal(32, h.Control.EffectiveLimit);

        // The first resume (at 0 min) leaves the rolling hour at 60 min; now it is 2 min.
        await h.Advance(TimeSpan.FromMinutes(58) - TimeSpan.FromSeconds(1));
        Assert.Empty(h.Link.Profiles);
        Assert.Equal(0, h.Control.AppliedLimit);

        await h.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(32, Assert.Single(h.Link.Profiles).LimitAmps);
        Assert.Equal(32, h.Control.AppliedLimit);
    }

    [Fact]
    public async Task A_persons_changes_go_out_at_once_and_do_not_use_up_the_rules_pause_cycles()
    {
        var options = new WallboxOptions { MaxPauseCyclesPerHour = 1, MinChangeInterval = TimeSpan.FromSeconds(30) };
        await using var h = new Harness(options);
        await h.Charging();
        await h.Claim("mqtt", 10, ClaimKind.Manual);

        for (var cycle = 0; cycle < 3; cycle++)
        {
            await h.Run(h.Controller.PauseByPersonAsync("mqtt"));
            var resume = await h.Run(h.Controller.ResumeByPersonAsync("mqtt"));
            Assert.True(resume.Ok, resume.ToString());
            Assert.DoesNotContain("rate limit", resume.Message);
            Assert.Equal((10.0, 10.0), (h.Control.EffectiveLimit, h.Control.AppliedLimit));
            Assert.Equal("mqtt", h.Control.LimitSource);
        }
        var handBack = await h.Run(h.Controller.ResumeByPersonAsync("mqtt")); // no pause held: the override ends
        Assert.Contains("claim 'mqtt' released", handBack.Message);
        Assert.Equal((32.0, 32.0, "default"), (h.Control.EffectiveLimit, h.Control.AppliedLimit, h.Control.LimitSource));

        // Rules are still paced: a raise waits for the interval, and their one cycle of the hour is still free.
        await h.Claim("rule:solar", 0);
        var ruleResume = await h.Release("rule:solar");
        Assert.Contains("raised to 32 A in 30 s (rate limit)", ruleResume.Message);
        await h.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(32, h.Control.AppliedLimit);

        await h.Claim("rule:solar", 0);
        var second = await h.Release("rule:solar");
        Assert.Contains("deferred", second.Message);
        Assert.Equal(0, h.Control.AppliedLimit);
    }
}
