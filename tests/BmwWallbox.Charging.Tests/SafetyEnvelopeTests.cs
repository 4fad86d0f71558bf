using BmwWallbox.Charging.Tests.TestDoubles;
using BmwWallbox.Core;

namespace BmwWallbox.Charging.Tests;

public class SafetyEnvelopeTests
{
    [Fact]
    public async Task A_request_above_max_is_clamped_to_max_and_says_so()
    {
        await using var h = new Harness();
        await h.Charging();

        var result = await h.Claim("rule:greedy", 40);

        Assert.True(result.Ok, result.ToString());
        Assert.Contains("clamped to max 32 A", result.Message);
        Assert.Equal(32, Assert.Single(h.Control.Claims).Amps);
        Assert.DoesNotContain(h.Link.Profiles, p => p.LimitAmps > 32);
    }

    [Fact]
    public async Task A_request_between_zero_and_min_becomes_a_pause()
    {
        await using var h = new Harness();
        await h.Charging();

        var result = await h.Claim("rule:trickle", 4);

        Assert.True(result.Ok, result.ToString());
        Assert.Contains("below min 6 A", result.Message);
        Assert.Equal(0, Assert.Single(h.Control.Claims).Amps);
        Assert.True(h.Control.Paused);
        Assert.Equal(0, h.Link.Profiles.Last().LimitAmps);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public async Task A_negative_or_non_numeric_request_is_rejected_and_changes_nothing(double amps)
    {
        await using var h = new Harness();
        await h.Charging();
        await h.Claim("rule:solar", 16);
        var before = h.Control;
        h.Link.Clear();

        var result = await h.Claim("rule:solar", amps);

        Assert.Equal(ActionOutcome.Rejected, result.Outcome);
        Assert.Contains("Invalid current", result.Message);
        Assert.Equal(before, h.Control);
        Assert.Equal(16, Assert.Single(h.Control.Claims).Amps);
        Assert.Empty(h.Link.Calls);
        Assert.Contains(h.Log.Entries, e => e.Message.Contains("Invalid current") && Equals(e.Properties["Source"], "rule:solar"));
    }

    [Fact]
    public async Task A_claim_without_source_or_with_a_past_expiry_is_rejected()
    {
        await using var h = new Harness();

        var noSource = await h.Claim(" ", 10);
        var past = await h.Claim("rule:late", 10, expiresAt: h.Time.GetUtcNow().AddSeconds(-1));

        Assert.Equal(ActionOutcome.Rejected, noSource.Outcome);
        Assert.Equal(ActionOutcome.Rejected, past.Outcome);
        Assert.Contains("not in the future", past.Message);
        Assert.Empty(h.Control.Claims);
    }

    [Fact]
    public async Task Limits_go_out_with_one_decimal()
    {
        await using var h = new Harness();
        await h.Charging();

        await h.Claim("rule:solar", 10.26);

        Assert.Equal(10.3, h.Link.Profiles.Last().LimitAmps);
    }

    [Fact]
    public void Nonsense_options_are_refused_with_the_key_named()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Harness(new WallboxOptions { MinCurrent = 16, MaxCurrent = 10 }));
        Assert.Contains("wallbox.max_current", ex.Message);
    }
}
