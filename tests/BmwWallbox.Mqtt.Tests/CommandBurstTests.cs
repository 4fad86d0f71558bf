using System.Text.RegularExpressions;
using BmwWallbox.Mqtt.Tests.Infrastructure;
using BmwWallbox.TestKit.Mqtt;
using MQTTnet.Protocol;
using static BmwWallbox.Mqtt.Tests.Infrastructure.BridgeHarness;

namespace BmwWallbox.Mqtt.Tests;

/// <summary>A burst of 20,000 set/current (a slider held down, a runaway script): no command vanishes silently.</summary>
public class CommandBurstTests
{
    private const int Burst = 20_000;

    [Fact]
    public async Task Every_command_of_a_burst_gets_a_result_or_is_counted_as_dropped_and_the_last_one_runs()
    {
        var port = FreePort.Next();
        await using var harness = new BridgeHarness(new MqttOptions
        {
            Port = port,
            Bind = "127.0.0.1",
            BaseTopic = Base,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
            // A short broker queue, so the burst overflows it here as it did on a busy machine.
            MaxPendingMessagesPerClient = 20,
        });
        await harness.StartAsync();
        await using var user = await TestMqttClient.ConnectAsync(port, Topic("result"), $"{Base}/status");
        await user.WaitForAsync($"{Base}/status", "online");

        long Counted(string pattern) => harness.Logs.Entries
            .Select(e => Regex.Match(e.Message, pattern))
            .Where(m => m.Success).Sum(m => long.Parse(m.Groups[1].Value));

        // As fast as the client can write them (like `mosquitto_pub -l`): QoS 0, none awaited on its own. A busy
        // machine takes seconds to write and work through 20,000 commands, hence the long guards.
        await Task.WhenAll(Enumerable.Range(0, Burst)
            .Select(i => user.PublishAsync($"{Base}/{Station}/set/current", (8 + i % 25).ToString(), qos: MqttQualityOfServiceLevel.AtMostOnce, within: TestTimeouts.Long)));
        // The real command after the burst; its result is the last one the bridge publishes.
        await user.PublishAsync($"{Base}/{Station}/set/pause", "PRESS", qos: MqttQualityOfServiceLevel.AtMostOnce, within: TestTimeouts.Long);
        var last = await user.WaitForAsync(r => r.Topic == Topic("result") && r.Payload.Contains("\"pause\""), within: TestTimeouts.Long);

        Assert.Equal("""{"action":"pause","ok":true,"reason":"claim done"}""", last.Payload);
        Assert.Equal(0, harness.Controller.Calls[^1].Claim!.Amps);
        // Everything accounted for by the bridge: executed (one line each), superseded (counted in one
        // line, answered "superseded") or dropped (counted in one line, before any later command runs).
        // Counted from the log: this test's tiny broker queue may also drop results on their way to `user`.
        var executed = harness.Logs.Entries.Count(e => e.Message.StartsWith($"MQTT command current for {Station}:"));
        var superseded = Counted(@"^MQTT set/current: (\d+) older command\(s\) superseded");
        var dropped = Counted(@"^Too many MQTT commands at once: dropped (\d+)");
        Assert.Equal(Burst, executed + superseded + dropped);
        Assert.True(dropped > 0, "the burst did not overflow the broker's queue: this test shows nothing");
    }
}
