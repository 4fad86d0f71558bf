using BmwWallbox.SimulatedBox;
using Xunit.Abstractions;

namespace BmwWallbox.Charging.Tests.Integration;

/// <summary>
/// "Start" on the (simulated) BMW box when it asks for authorization (AuthCtrlr.Enabled): it opens the
/// session when the car is plugged in (TxStartPoint EVConnected) and lets no energy flow until the
/// session is authorized.
/// </summary>
public sealed class RemoteStartOnTheBoxTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Start_authorizes_a_session_that_waits_for_authorization_and_the_car_charges_at_the_effective_limit()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.AllOn, box: o => o with { AuthorizationEnabled = true });
        await rig.Claim("rule:cap", 10);
        var since = rig.Box.EventSequence;
        rig.Box.PlugIn(LiveRig.Car());
        await rig.DeliveredAsync("TransactionEvent", since, m => (string?)m["eventType"] == "Started");
        await rig.IdleAsync();
        var session = rig.Box.TransactionId;
        Assert.Equal("EVConnected", rig.Box.ChargingState);
        Assert.Equal(0, rig.Box.ChargingCurrentAmps);
        since = rig.Box.EventSequence;

        var start = await rig.Controller.StartAsync("mqtt").WaitAsync(LiveRig.Guard);

        Assert.True(start.Ok, start.ToString());
        Assert.Contains($"Transaction {session} authorized", start.Message);
        await rig.DeliveredAsync("TransactionEvent", since, m => (string?)m["transactionInfo"]?["chargingState"] == "Charging");
        await rig.IdleAsync();
        var request = Assert.Single(rig.Box.ReceivedCalls, c => c.Action == "RequestStartTransaction");
        Assert.Equal(("bmw-rules", 1), ((string?)request.Payload!["idToken"]!["idToken"], (int?)request.Payload["evseId"]));
        Assert.Equal(session, rig.Box.TransactionId); // the same session, now authorized
        Assert.Equal("bmw-rules", rig.State.Transaction?.IdToken);
        rig.AssertBoxAtEffectiveLimit(10);
        Assert.Equal(10, rig.Box.ChargingCurrentAmps);
    }

    [Fact]
    public async Task Start_on_a_session_that_is_already_charging_sends_no_remote_start()
    {
        await using var rig = await LiveRig.StartAsync(output, BoxQuirks.AllOn);
        await rig.PlugInAsync();

        var start = await rig.Controller.StartAsync("mqtt").WaitAsync(LiveRig.Guard);

        Assert.True(start.Ok, start.ToString());
        Assert.Equal(0, rig.Box.ReceivedCallCount("RequestStartTransaction"));
        rig.AssertBoxAtEffectiveLimit(16);
    }
}
