using System.Threading.Channels;
using BmwWallbox.Core;
using BmwWallbox.Mqtt.Tests.Infrastructure;
using BmwWallbox.TestKit.Mqtt;
using static BmwWallbox.Mqtt.Tests.Infrastructure.BridgeHarness;

namespace BmwWallbox.Mqtt.Tests;

/// <summary>The broker going away and coming back (a real Mosquitto, killed and restarted).</summary>
public class ReconnectTests
{
    [Fact]
    public async Task Broker_restart_mid_run_restores_state_subscriptions_and_commands_without_duplicates()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var harness = new BridgeHarness(External(broker.Port));
        var ruleMessages = Channel.CreateUnbounded<(string Topic, string Payload)>();
        using var ruleSubscription = harness.Bridge.Bus.Subscribe("rules/+/in", (t, p) => ruleMessages.Writer.TryWrite((t, p)));
        await harness.StartAsync();
        await using (var before = await TestMqttClient.ConnectAsync(broker.Port, $"{Base}/#"))
        {
            await before.WaitForAsync($"{Base}/status", "online");
            await before.WaitForAsync(Topic("power"), "7360.4");
        }

        // Kill and restart on the same port; no persistence, so the new broker knows nothing.
        await broker.KillAsync();
        await broker.StartAsync();
        await using var after = await TestMqttClient.ConnectAsync(broker.Port, $"{Base}/#", "homeassistant/#");

        // Republished: online, every state topic, discovery.
        await after.WaitForAsync($"{Base}/status", "online");
        await after.WaitForAsync(Topic("power"), "7360.4");
        await after.WaitForAsync(Topic("transaction_id"), "tx-1");
        await after.WaitForAsync("homeassistant/device/bmw_rules_bmw_001/config");

        // Resubscribed: a command runs exactly once.
        await after.PublishAsync($"{Base}/{Station}/set/current", "10");
        await after.WaitForAsync(r => r.Topic == Topic("result") && r.Payload.Contains("\"current\""));
        await after.PublishAsync($"{Base}/{Station}/set/resume", "PRESS");
        await after.WaitForAsync(r => r.Topic == Topic("result") && r.Payload.Contains("\"resume\""));
        Assert.Equal(["claim", "release"], harness.Controller.Calls.Select(c => c.Verb));
        Assert.Equal(2, after.On(Topic("result")).Count);

        // The rules' subscription survived, and gets each message once.
        await after.PublishAsync("rules/solar/in", "hello");
        await after.PublishAsync("rules/solar/in", "marker");
        Assert.Equal(("rules/solar/in", "hello"), await ruleMessages.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Guard));
        Assert.Equal(("rules/solar/in", "marker"), await ruleMessages.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Guard));
        Assert.False(ruleMessages.Reader.TryRead(out _));

        // Each retained value was republished once.
        Assert.Single(after.On(Topic("power")));
        Assert.Single(after.On($"{Base}/status"));
    }

    [Fact]
    public async Task A_value_cleared_while_the_connection_was_down_is_cleared_on_the_broker_after_the_reconnect()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var clock = new ManualClock();
        var options = External(broker.Port);
        await using var harness = new BridgeHarness(options, time: clock);
        await harness.StartAsync();
        await harness.Bridge.Bus.PublishAsync("rules/garage/note", "car is away", retain: true);
        await using var watch = await TestMqttClient.ConnectAsync(broker.Port, "rules/#");
        await watch.WaitForAsync("rules/garage/note", "car is away");

        await DropOurConnectionAsync(broker, clock, options);
        await harness.Bridge.Bus.PublishAsync("rules/garage/note", "", retain: true); // cleared while down
        clock.Advance(options.ReconnectMaxDelay);

        // The clear reaches the broker once connected again: a new subscriber gets no note.
        await watch.WaitForAsync("rules/garage/note", "");
        await using var later = await TestMqttClient.ConnectAsync(broker.Port, "rules/#", $"{Base}/status");
        await later.WaitForAsync($"{Base}/status", "online");
        Assert.DoesNotContain(later.Received, r => r.Topic == "rules/garage/note");
    }

    [Fact]
    public async Task The_replay_after_a_reconnect_sends_retained_values_in_the_order_they_were_published()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var clock = new ManualClock();
        var options = External(broker.Port);
        await using var harness = new BridgeHarness(options, time: clock);
        await harness.StartAsync();
        await using var watch = await TestMqttClient.ConnectAsync(broker.Port, "rules/#");
        // A clear the broker took is forgotten; a topic published later may take its place in what is kept.
        await harness.Bridge.Bus.PublishAsync("rules/order/cleared", "", retain: true);
        await harness.Bridge.Bus.PublishAsync("rules/order/first", "1", retain: true);
        await watch.WaitForAsync("rules/order/first", "1");

        await DropOurConnectionAsync(broker, clock, options);
        await harness.Bridge.Bus.PublishAsync("rules/order/second", "2", retain: true); // while down
        clock.Advance(options.ReconnectMaxDelay);

        // "first" live, then the replay: "first" again and "second", in the order they were published.
        static bool Value(Received r) => r.Topic.StartsWith("rules/order/", StringComparison.Ordinal) && r.Payload.Length > 0;
        var values = 0;
        await watch.WaitForAsync(r => Value(r) && ++values == 3);
        Assert.Equal(["rules/order/first", "rules/order/first", "rules/order/second"], watch.Received.Where(Value).Select(r => r.Topic));
    }

    /// <summary>
    /// The broker stays up and keeps what we published; only our connection drops (another client takes over our
    /// client id, as a network blip would end it). Returns while the back-off delay waits for the test's clock.
    /// </summary>
    private static async Task DropOurConnectionAsync(MosquittoBroker broker, ManualClock clock, MqttOptions options)
    {
        var reconnectWaits = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        clock.TimerArmed += due => { if (due > TimeSpan.Zero && due <= options.ReconnectMaxDelay) reconnectWaits.TrySetResult(); };
        await using (await TestMqttClient.ConnectAsync(broker.Port, login: null, options.Broker!.ClientId, "unused/#"))
            await reconnectWaits.Task.WaitAsync(TestTimeouts.Guard);
    }

    [Fact]
    public async Task Broker_down_at_start_does_not_block_and_the_bridge_connects_when_it_appears()
    {
        await using var broker = MosquittoBroker.NotStarted();
        await using var harness = new BridgeHarness(External(broker.Port));
        await harness.StartAsync(); // returns although nothing listens
        Assert.False(harness.Bridge.IsConnected);

        // State keeps changing while the broker is away; the latest value is what shows up.
        harness.States.Set(ChargingState() with { PowerW = 3000 });
        await broker.StartAsync();

        await using var user = await TestMqttClient.ConnectAsync(broker.Port, $"{Base}/#");
        await user.WaitForAsync($"{Base}/status", "online");
        await user.WaitForAsync(Topic("power"), "3000");
        Assert.True(harness.Bridge.IsConnected);

        await user.PublishAsync($"{Base}/{Station}/set/pause", "PRESS");
        await user.WaitForAsync(Topic("result"));
        Assert.Equal("claim", Assert.Single(harness.Controller.Calls).Verb);
    }

    [Fact]
    public async Task A_broker_that_refuses_the_password_is_told_apart_from_one_that_cannot_be_reached()
    {
        var directory = Directory.CreateTempSubdirectory("mqtt-passwords-").FullName;
        try
        {
            var passwords = Path.Combine(directory, "passwords");
            using (var create = System.Diagnostics.Process.Start("mosquitto_passwd", ["-c", "-b", passwords, "bridge", "right-password"]))
                await create.WaitForExitAsync();
            // Run as root, mosquitto reads its files as the user "mosquitto".
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
                File.SetUnixFileMode(passwords, (UnixFileMode)0b110_100_100);
            }
            await using var broker = await MosquittoBroker.StartAsync($"password_file {passwords}");
            var options = External(broker.Port);
            await using var harness = new BridgeHarness(options with { Broker = options.Broker! with { Username = "bridge", Password = "wrong-password" } });
            var warned = harness.Logs.NextMatchAsync(e => e.Message.Contains("refused the connection"));

            await harness.StartAsync();
            await warned;

            var warning = harness.Logs.Entries.First(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("refused the connection"));
            Assert.Contains("check mqtt.broker.username and password", warning.Message);
            Assert.DoesNotContain("not reachable", warning.Message);
            Assert.False(harness.Bridge.IsConnected);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Broker_that_stays_down_is_retried_with_growing_delays_and_warned_about_once()
    {
        await using var broker = MosquittoBroker.NotStarted();
        var time = new ManualClock();
        var timers = new TimerWatch(time);
        var options = External(broker.Port) with { ReconnectMinDelay = TimeSpan.FromSeconds(1), ReconnectMaxDelay = TimeSpan.FromSeconds(8) };
        await using var harness = new BridgeHarness(options, time: time);
        await harness.StartAsync();

        // Each failed attempt waits on a timer of the injected clock; let six of them pass.
        var delays = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            delays.Add(await timers.NextAsync());
            time.Advance(TimeSpan.FromSeconds(10));
        }

        double[] nominal = [1, 2, 4, 8, 8, 8];
        for (var i = 0; i < nominal.Length; i++)
            Assert.InRange(delays[i].TotalSeconds, nominal[i] * 0.8, Math.Min(nominal[i] * 1.2, 8));
        var warnings = harness.Logs.Entries.Where(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning).ToList();
        Assert.Single(warnings);
        Assert.Contains("not reachable (Connection refused)", warnings[0].Message); // the reason, not MQTTnet's "Error while connecting"
        Assert.False(harness.Bridge.IsConnected);
    }
}
