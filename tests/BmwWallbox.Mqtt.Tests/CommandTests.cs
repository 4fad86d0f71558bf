using System.Text.Json;
using BmwWallbox.Core;
using BmwWallbox.Mqtt.Tests.Infrastructure;
using BmwWallbox.TestKit.Mqtt;
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

    private async Task<(string Action, bool Ok, string Reason)> SendAsync(string verb, string payload = "PRESS", string station = Station)
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
        await user.PublishAsync($"{other}/{Station}/set/resume", "PRESS");
        await user.WaitForAsync($"{other}/{Station}/result");
        Assert.Equal([new ControllerCall("release", "mqtt")], bridge.Controller.Calls);
        Assert.Contains(bridge.Logs.Entries, e => e.Message.Contains($"Ignored retained MQTT command on {other}/{Station}/set/reboot, clear it with: mosquitto_pub -r -n -t '{other}/{Station}/set/reboot'"));
    }

    [Fact]
    public async Task Clearing_a_retained_command_with_an_empty_message_runs_nothing()
    {
        // What the README advises: mosquitto_pub -r -n -t …/set/reboot. Subscribers get it live, not retained.
        await _user.PublishAsync($"{Base}/{Station}/set/reboot", "", retain: true);
        await _user.PublishAsync($"{Base}/{Station}/set/pause", "");
        Assert.Equal(("resume", true, "release done"), await SendAsync("resume"));
        Assert.Equal([new ControllerCall("release", "mqtt")], Controller.Calls);
        Assert.Contains(_harness.Logs.Entries, e => e.Message == $"Ignored empty MQTT message on {Base}/{Station}/set/reboot: an empty payload is not a command");
    }

    [Fact]
    public async Task A_retained_command_published_while_subscribed_does_not_run()
    {
        await _user.PublishAsync($"{Base}/{Station}/set/reboot", "PRESS", retain: true);
        Assert.Equal(("resume", true, "release done"), await SendAsync("resume"));
        Assert.Equal([new ControllerCall("release", "mqtt")], Controller.Calls);
        Assert.Contains(_harness.Logs.Entries, e => e.Message.StartsWith($"Ignored retained MQTT command on {Base}/{Station}/set/reboot, clear it with"));
        await _user.PublishAsync($"{Base}/{Station}/set/reboot", "", retain: true);
    }

    [Fact]
    public async Task A_huge_payload_is_refused_with_a_short_answer()
    {
        var huge = "x" + new string('9', 1024 * 1024);
        var (action, ok, reason) = await SendAsync("current", huge);
        Assert.Equal("current", action);
        Assert.False(ok);
        Assert.StartsWith($"Payload too long ({huge.Length} characters, at most 1024): 'x999", reason);
        Assert.True(reason.Length < 200, reason);
        Assert.Empty(Controller.Calls);
        Assert.All(_harness.Logs.Entries, e => Assert.True(e.Message.Length < 300, "log line too long"));

        // The queue is free for the next command.
        Assert.Equal(("current", true, "claim done"), await SendAsync("current", "10"));
    }

    [Fact]
    public async Task The_answer_reads_as_written_in_mosquitto_sub()
    {
        await SendAsync("current", "zehn Ampère");

        // Quotes and accents as themselves, not \u0027 and \u00E8; control characters stay escaped (test below).
        var raw = _user.On($"{Base}/{Station}/result")[^1].Payload;
        Assert.Equal("""{"action":"current","ok":false,"reason":"Current must be a number of amperes, got 'zehn Ampère'"}""", raw);
    }

    [Fact]
    public async Task Bad_input_is_quoted_as_a_short_prefix_with_control_characters_escaped()
    {
        var (_, ok, reason) = await SendAsync("current", "abc\n12:00:00 INF forged" + new string('x', 900));
        Assert.False(ok);
        Assert.Equal("Current must be a number of amperes, got 'abc\\u000a12:00:00 INF forged" + new string('x', 17) + "…'", reason);
        var log = Assert.Single(_harness.Logs.Entries, e => e.Message.StartsWith("MQTT command current"));
        Assert.DoesNotContain('\n', log.Message);
        Assert.True(log.Message.Length < 200, log.Message);
    }

    [Fact]
    public async Task A_long_unknown_command_name_is_quoted_short_in_the_result()
    {
        var (action, ok, reason) = await SendAsync(new string('x', 5000));
        Assert.False(ok);
        Assert.Equal(new string('x', 40) + "…", action);
        Assert.Equal($"Unknown command '{new string('x', 40)}…'; use current, pause, resume, start, reboot, mode or plan", reason);
    }

    [Fact]
    public async Task Queued_current_commands_coalesce_the_newest_runs_and_the_older_are_answered_superseded()
    {
        // A slow box: the first command is still running while a burst of slider moves arrives.
        Controller.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resultTopic = $"{Base}/{Station}/result";
        await _user.PublishAsync($"{Base}/{Station}/set/current", "10");
        Assert.Equal(10, (await Controller.NextCallAsync()).Claim!.Amps);
        for (var amps = 11; amps <= 30; amps++)
            await _user.PublishAsync($"{Base}/{Station}/set/current", amps.ToString());
        // Messages from one client arrive in order: once this one is in, the whole burst is queued.
        // (an empty message is answered by a log line at once, without queueing).
        await _user.PublishAsync($"{Base}/{Station}/set/marker", "");
        await _harness.Logs.NextMatchAsync(e => e.Message.Contains("set/marker"));

        var twentyOneResults = 0;
        var allAnswered = _user.WaitForAsync(r => r.Topic == resultTopic && ++twentyOneResults == 21);
        Controller.Hold.SetResult();
        await allAnswered;

        Assert.Equal([10.0, 30.0], Controller.Calls.Select(c => c.Claim!.Amps));
        var reasons = _user.On(resultTopic).Select(r => JsonDocument.Parse(r.Payload).RootElement.GetProperty("reason").GetString()).ToList();
        Assert.Equal(19, reasons.Count(r => r == "Superseded by a newer set/current"));
        Assert.Equal(2, reasons.Count(r => r == "claim done"));
        Assert.Contains(_harness.Logs.Entries, e => e.Message == "MQTT set/current: 19 older command(s) superseded by a newer one, not executed");
    }
}
