using System.Text.Json;
using BmwWallbox.Core;
using BmwWallbox.Mqtt.Tests.Infrastructure;
using static BmwWallbox.Mqtt.Tests.Infrastructure.BridgeHarness;

namespace BmwWallbox.Mqtt.Tests;

/// <summary>Commands over a real Mosquitto, as Home Assistant or mosquitto_pub send them.</summary>
public class CommandTests : IAsyncLifetime
{
    private MosquittoBroker _broker = null!;
    private BridgeHarness _harness = null!;
    private TestMqttClient _user = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        _harness = new BridgeHarness(External(_broker.Port));
        await _harness.StartAsync();
        _user = await TestMqttClient.ConnectAsync(_broker.Port, $"{Base}/+/result", $"{Base}/status");
        await _user.WaitForAsync($"{Base}/status", "online"); // subscribed before it says online
    }

    public async Task DisposeAsync()
    {
        await _user.DisposeAsync();
        await _harness.DisposeAsync();
        await _broker.DisposeAsync();
    }

    private RecordingController Controller => _harness.Controller;

    private async Task<(string Action, bool Ok, string Reason)> SendAsync(string verb, string payload = "", string station = Station)
    {
        var resultTopic = $"{Base}/{station}/result";
        var next = _user.On(resultTopic).Count + 1;
        var seen = 0;
        var waiting = _user.WaitForAsync(r => r.Topic == resultTopic && ++seen == next);
        await _user.PublishAsync($"{Base}/{station}/set/{verb}", payload);
        var json = JsonDocument.Parse((await waiting).Payload).RootElement;
        Assert.Equal(3, json.EnumerateObject().Count());
        return (json.GetProperty("action").GetString()!, json.GetProperty("ok").GetBoolean(), json.GetProperty("reason").GetString()!);
    }

    [Theory]
    [InlineData("16", 16)]
    [InlineData(" 10.5 ", 10.5)]
    [InlineData("6", 6)]
    [InlineData("32", 32)]
    [InlineData("0", 0)]
    public async Task Set_current_is_a_manual_claim(string payload, double amps)
    {
        var result = await SendAsync("current", payload);
        Assert.Equal(("current", true, "claim done"), result);
        var call = Assert.Single(Controller.Calls);
        Assert.Equal(new ClaimRequest("mqtt", amps, ClaimKind.Manual, Reason: "MQTT set/current"), call.Claim);
    }

    [Theory]
    [InlineData("40", "between 6 and 32 A")]
    [InlineData("3", "between 6 and 32 A")]
    [InlineData("-6", "between 6 and 32 A")]
    [InlineData("abc", "must be a number")]
    [InlineData("", "must be a number")]
    [InlineData("NaN", "must be a number")]
    [InlineData("16A", "must be a number")]
    public async Task Bad_current_is_rejected_with_a_reason_and_changes_nothing(string payload, string reason)
    {
        var (action, ok, why) = await SendAsync("current", payload);
        Assert.Equal("current", action);
        Assert.False(ok);
        Assert.Contains(reason, why);
        Assert.Empty(Controller.Calls);
    }

    [Fact]
    public async Task Pause_is_a_manual_zero_claim_of_its_own_and_resume_releases_only_that()
    {
        Assert.Equal(("pause", true, "claim done"), await SendAsync("pause", "PRESS"));
        Controller.SetControl(Controller.Control with { Claims = [PauseClaim] });
        Assert.Equal(("resume", true, "release done"), await SendAsync("resume", "PRESS"));
        Assert.Equal(
            [new ControllerCall("claim", "mqtt:pause", new ClaimRequest("mqtt:pause", 0, ClaimKind.Manual, Reason: "MQTT pause")), new ControllerCall("release", "mqtt:pause")],
            Controller.Calls);
    }

    [Fact]
    public async Task Resume_without_a_pause_ends_the_persons_override()
    {
        Assert.Equal(("resume", true, "release done"), await SendAsync("resume"));
        Assert.Equal([new ControllerCall("release", "mqtt")], Controller.Calls);
    }

    private static Claim PauseClaim => new("mqtt:pause", 0, ClaimKind.Manual, DateTimeOffset.UnixEpoch, null, true, "MQTT pause");

    [Fact]
    public async Task Start_claims_max_until_unplug_then_starts()
    {
        Assert.Equal(("start", true, "start done"), await SendAsync("start"));
        Assert.Equal(
            [new ControllerCall("claim", "mqtt", new ClaimRequest("mqtt", 32, ClaimKind.Manual, EndsOnUnplug: true, Reason: "charge now")), new ControllerCall("start", "mqtt")],
            Controller.Calls);
    }

    [Fact]
    public async Task Start_does_not_start_when_the_claim_is_refused()
    {
        Controller.Answer = verb => verb == "claim" ? ActionResult.Rejected(verb, "station rebooting") : ActionResult.Accepted(verb, "ok");
        Assert.Equal(("start", false, "station rebooting"), await SendAsync("start"));
        Assert.DoesNotContain(Controller.Calls, c => c.Verb == "start");
    }

    [Fact]
    public async Task Reboot_reports_what_the_controller_says()
    {
        Assert.Equal(("reboot", true, "reboot done"), await SendAsync("reboot"));
        Controller.Answer = verb => ActionResult.Rejected(verb, "wallbox.allow_reboot is false");
        Assert.Equal(("reboot", false, "wallbox.allow_reboot is false"), await SendAsync("reboot"));
        Assert.Equal(2, Controller.Calls.Count(c => c is { Verb: "reboot", Source: "mqtt" }));
    }

    [Fact]
    public async Task A_disconnected_box_is_reported_not_hidden()
    {
        Controller.Answer = verb => ActionResult.NotConnected(verb);
        Assert.Equal(("pause", false, "Wallbox not connected"), await SendAsync("pause"));
    }

    [Fact]
    public async Task Unknown_commands_and_stations_are_rejected()
    {
        var (action, ok, reason) = await SendAsync("explode");
        Assert.Equal("explode", action);
        Assert.False(ok);
        Assert.Contains("Unknown command", reason);

        (_, ok, reason) = await SendAsync("pause", station: "carport");
        Assert.False(ok);
        Assert.Contains("Unknown station 'carport'", reason);
        Assert.Empty(Controller.Calls);
    }

    [Fact]
    public async Task Retained_commands_are_never_replayed()
    {
        // Someone left a retained reboot on the broker; a bridge that (re)connects must not act on it.
        const string other = "other-base";
        await _user.PublishAsync($"{other}/{Station}/set/reboot", "PRESS", retain: true);
        await using var bridge = new BridgeHarness(External(_broker.Port) with { BaseTopic = other });
        await using var user = await TestMqttClient.ConnectAsync(_broker.Port, $"{other}/+/result", $"{other}/status");
        await bridge.StartAsync();
        await user.WaitForAsync($"{other}/status", "online");

        // The retained reboot arrived on subscribing, before this live command: once its result is
        // back, the reboot has been seen and skipped.
        await user.PublishAsync($"{other}/{Station}/set/resume", "");
        await user.WaitForAsync($"{other}/{Station}/result");
        Assert.Equal([new ControllerCall("release", "mqtt")], bridge.Controller.Calls);
        Assert.Contains(bridge.Logs.Entries, e => e.Message.Contains($"Ignoring retained MQTT command on {other}/{Station}/set/reboot"));
    }
}
