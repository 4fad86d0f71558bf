using BmwWallbox.Charging.Tests.TestDoubles;
using BmwWallbox.Core;

namespace BmwWallbox.Charging.Tests;

public class ProfileStrategyTests
{
    [Fact]
    public async Task The_limit_is_a_fixed_id_TxDefaultProfile_on_evse_1_at_stack_level_0_even_without_a_car()
    {
        await using var h = new Harness();
        await h.Connect(); // no transaction: protects the first minutes of the next session (quirk 5)

        await h.Claim("rule:cap", 10);
        await h.Claim("rule:cap", 8);

        var sets = h.CallsOf("SetChargingProfile");
        Assert.All(sets, c => Assert.Equal(1, c.EvseId));
        Assert.All(h.Link.Profiles, p =>
        {
            Assert.Equal(ProfilePurpose.TxDefaultProfile, p.Purpose);
            Assert.Equal(ChargeController.TxDefaultProfileId, p.Id);
            Assert.Equal(0, p.StackLevel);
            Assert.Null(p.TransactionId);
        });
        Assert.Equal([32.0, 10.0, 8.0], h.Link.Profiles.Select(p => p.LimitAmps));
    }

    [Fact]
    public async Task ClearChargingProfile_answering_Unknown_is_not_an_error()
    {
        await using var h = new Harness();

        await h.Connect();
        var result = await h.Claim("rule:cap", 10);

        var clear = Assert.Single(h.CallsOf("ClearChargingProfile"));
        Assert.Equal(ChargeController.TxProfileId, clear.ProfileId);
        Assert.True(result.Ok, result.ToString());
        Assert.Equal(10, h.Control.AppliedLimit);
        Assert.Null(h.Control.LastRejected);
        Assert.DoesNotContain(h.Log.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task A_rejected_TxDefaultProfile_falls_back_to_a_TxProfile_on_the_live_transaction()
    {
        await using var h = new Harness();
        h.Link.RejectProfiles(ProfilePurpose.TxDefaultProfile, "NotSupported");
        await h.Charging("tx-7");

        var result = await h.Claim("rule:cap", 10);

        Assert.True(result.Ok, result.ToString());
        var profile = h.Link.Profiles.Single();
        Assert.Equal(ProfilePurpose.TxProfile, profile.Purpose);
        Assert.Equal(ChargeController.TxProfileId, profile.Id);
        Assert.Equal("tx-7", profile.TransactionId);
        Assert.Equal(10, profile.LimitAmps);
        Assert.Equal(10, h.Control.AppliedLimit);
    }

    [Fact]
    public async Task Without_a_transaction_a_refused_TxDefaultProfile_is_reported_and_the_limit_follows_the_next_transaction()
    {
        await using var h = new Harness();
        h.Link.RejectProfiles(ProfilePurpose.TxDefaultProfile, "Rejected");
        await h.Connect();

        Assert.Contains("SetChargingProfile rejected", h.Control.LastRejected?.Message);
        var result = await h.Claim("rule:cap", 12);
        Assert.Contains("when a transaction starts", result.Message);
        h.Link.Clear();

        await h.StartTransaction("tx-9");

        var profile = Assert.Single(h.Link.Profiles);
        Assert.Equal((ProfilePurpose.TxProfile, "tx-9", 12.0), (profile.Purpose, profile.TransactionId, profile.LimitAmps));
    }

    [Fact]
    public async Task When_every_profile_is_refused_the_box_is_rebooted_but_not_more_often_than_configured()
    {
        await using var h = new Harness();
        await h.Charging();
        h.Link.RejectProfiles(ProfilePurpose.TxDefaultProfile);
        h.Link.RejectProfiles(ProfilePurpose.TxProfile, "Rejected");

        var first = await h.Claim("rule:cap", 10);

        Assert.Equal(ActionOutcome.Rejected, first.Outcome);
        Assert.Contains("SetChargingProfile rejected", first.Message);
        Assert.Contains("rebooting", first.Message);
        Assert.Single(h.CallsOf("Reset"));
        Assert.True(h.Control.Rebooting);
        Assert.Contains("SetChargingProfile rejected", h.Control.LastRejected!.Message);

        await h.Boot();
        await h.ReportTransaction();
        var second = await h.Claim("rule:cap", 8);

        Assert.Equal(ActionOutcome.Rejected, second.Outcome);
        Assert.Contains("no reboot", second.Message);
        Assert.Single(h.CallsOf("Reset"));

        await h.Advance(h.Options.RebootMinInterval);
        await h.Claim("rule:cap", 7);
        Assert.Equal(2, h.CallsOf("Reset").Count);
    }

    [Fact]
    public async Task With_reboots_switched_off_a_refused_profile_is_only_reported()
    {
        await using var h = new Harness(new WallboxOptions { AllowReboot = false });
        await h.Charging();
        h.Link.RejectProfiles(ProfilePurpose.TxDefaultProfile);
        h.Link.RejectProfiles(ProfilePurpose.TxProfile, "Rejected");

        var result = await h.Claim("rule:cap", 10);

        Assert.Equal(ActionOutcome.Rejected, result.Outcome);
        Assert.Contains("allow_reboot", result.Message);
        Assert.Empty(h.CallsOf("Reset"));
        Assert.Equal("SetChargingProfile rejected: Rejected", h.Control.LastRejected!.Message);
        Assert.Equal(32, h.Control.AppliedLimit); // still what the box last accepted
    }

    [Fact]
    public async Task A_pause_is_a_0_A_profile_and_never_RequestStopTransaction_even_when_profiles_are_refused()
    {
        await using var h = new Harness();
        await h.Charging();

        await h.Claim("rule:solar", 0);
        Assert.Equal(0, h.Link.Profiles.Last().LimitAmps);
        await h.Release("rule:solar");
        await h.Advance(h.Options.MinChangeInterval);
        Assert.Equal(32, h.Control.AppliedLimit);

        h.Link.RejectProfiles(ProfilePurpose.TxDefaultProfile);
        h.Link.RejectProfiles(ProfilePurpose.TxProfile);
        var refused = await h.Claim("mqtt", 0, ClaimKind.Manual);

        Assert.Equal(ActionOutcome.Rejected, refused.Outcome);
        Assert.Empty(h.CallsOf("RequestStopTransaction"));
        Assert.True(h.Control.Paused);
    }
}
