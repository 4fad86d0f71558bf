using System.Threading.Channels;
using BmwWallbox.Core;
using BmwWallbox.Mqtt.Tests.Infrastructure;
using BmwWallbox.TestKit.Logging;
using BmwWallbox.TestKit.Mqtt;
using Microsoft.Extensions.Logging;

namespace BmwWallbox.Mqtt.Tests;

/// <summary>Signals arriving over a real Mosquitto.</summary>
public class SignalTests : IAsyncLifetime
{
    private MosquittoBroker _broker = null!;
    private TestMqttClient _publisher = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        _publisher = await TestMqttClient.ConnectAsync(_broker.Port);
    }

    public async Task DisposeAsync()
    {
        await _publisher.DisposeAsync();
        await _broker.DisposeAsync();
    }

    private static readonly Dictionary<string, SignalOptions> Signals = new()
    {
        ["grid_power"] = new() { Topic = "homeassistant/sensor/grid_power/state", StaleAfter = TimeSpan.FromMinutes(1) },
        ["pv_power"] = new() { Topic = "tele/meter/SENSOR", Json = "$.ENERGY.Power" },
        ["pv_total"] = new() { Topic = "tele/meter/SENSOR", Json = "$.ENERGY.Total", Scale = 1000 },
        ["price"] = new() { Topic = "tibber/price", Json = "$.total", Scale = 100 },
    };

    /// <summary>Starts a bridge and returns a channel of every reading it reports.</summary>
    private async Task<(BridgeHarness, Channel<SignalReading>)> StartAsync(TimeProvider? time = null)
    {
        var harness = new BridgeHarness(BridgeHarness.External(_broker.Port), Signals, time);
        var readings = Channel.CreateUnbounded<SignalReading>();
        harness.Bridge.Signals.Changed += r => readings.Writer.TryWrite(r);
        await harness.StartAsync();
        // The bridge is subscribed once it announced itself online.
        await using var watcher = await TestMqttClient.ConnectAsync(_broker.Port, "bmw-wallbox/status");
        await watcher.WaitForAsync("bmw-wallbox/status", "online");
        return (harness, readings);
    }

    private static async Task<SignalReading> NextAsync(Channel<SignalReading> readings, string name)
    {
        while (true)
        {
            var reading = await readings.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Guard);
            if (reading.Name == name) return reading;
        }
    }

    [Fact]
    public async Task Raw_number_arrives_as_a_signal()
    {
        var (harness, readings) = await StartAsync();
        await using var _ = harness;
        await _publisher.PublishAsync("homeassistant/sensor/grid_power/state", "-1520.5");
        var reading = await NextAsync(readings, "grid_power");
        Assert.Equal(-1520.5, reading.Value);
        Assert.True(harness.Bridge.Signals.Get("grid_power").Available);
    }

    [Fact]
    public async Task Two_signals_read_their_fields_from_one_tasmota_message_with_scale()
    {
        var (harness, readings) = await StartAsync();
        await using var _ = harness;
        await _publisher.PublishAsync("tele/meter/SENSOR", """{"Time":"2024-05-01T12:00:00","ENERGY":{"Total":12.5,"Power":523}}""");
        // One message sets both; in which order the two readings arrive is not part of the contract.
        var seen = new Dictionary<string, double?>();
        while (!seen.ContainsKey("pv_power") || !seen.ContainsKey("pv_total"))
        {
            var reading = await readings.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Guard);
            seen[reading.Name] = reading.Value;
        }
        Assert.Equal((523, 12500), (seen["pv_power"], seen["pv_total"]));
    }

    [Fact]
    public async Task Retained_value_is_read_at_start()
    {
        await _publisher.PublishAsync("tibber/price", """{"total": 0.2345, "startsAt": "2024-05-01T12:00:00Z"}""", retain: true);
        var (harness, readings) = await StartAsync();
        await using var _ = harness;
        Assert.Equal(23.45, (await NextAsync(readings, "price")).Value!.Value, 6);
    }

    [Fact]
    public async Task Home_assistant_unavailable_reads_as_unavailable_without_warnings()
    {
        var (harness, readings) = await StartAsync();
        await using var _ = harness;
        await _publisher.PublishAsync("homeassistant/sensor/grid_power/state", "800");
        Assert.Equal(800, (await NextAsync(readings, "grid_power")).Value);

        await _publisher.PublishAsync("homeassistant/sensor/grid_power/state", "unavailable");
        var unavailable = await NextAsync(readings, "grid_power");
        Assert.Null(unavailable.Value);
        Assert.False(harness.Bridge.Signals.Get("grid_power").Available);

        await _publisher.PublishAsync("homeassistant/sensor/grid_power/state", "unknown");
        await _publisher.PublishAsync("homeassistant/sensor/grid_power/state", "900");
        Assert.Equal(900, (await NextAsync(readings, "grid_power")).Value);

        Assert.Equal(0, harness.Bridge.RejectedSignalPayloads["grid_power"]);
        Assert.DoesNotContain(harness.Logs.Entries, e => e.Level >= LogLevel.Warning && e.Message.Contains("grid_power"));
    }

    [Fact]
    public async Task Bad_payloads_are_counted_warned_once_and_never_become_zero()
    {
        var (harness, readings) = await StartAsync();
        await using var _ = harness;
        const string topic = "homeassistant/sensor/grid_power/state";
        await _publisher.PublishAsync(topic, "1500");
        Assert.Equal(1500, (await NextAsync(readings, "grid_power")).Value);

        foreach (var bad in new[] { "abc", "12 kW", "{\"oops\":", "true" })
            await _publisher.PublishAsync(topic, bad);
        // Same topic, same order: once 1600 is seen, every bad payload was handled.
        await _publisher.PublishAsync(topic, "1600");
        Assert.Equal(1600, (await NextAsync(readings, "grid_power")).Value);

        Assert.Equal(4, harness.Bridge.RejectedSignalPayloads["grid_power"]);
        var warnings = harness.Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains("grid_power")).ToList();
        Assert.Single(warnings);
        Assert.Contains("not a number", warnings[0].Message);
        Assert.False(readings.Reader.TryRead(out var extra), $"unexpected reading {extra}");
    }

    [Fact]
    public async Task A_value_that_stops_arriving_goes_stale_in_virtual_time()
    {
        var time = new ManualClock(DateTimeOffset.Parse("2024-05-01T12:00:00Z"));
        var (harness, readings) = await StartAsync(time);
        await using var _ = harness;
        await _publisher.PublishAsync("homeassistant/sensor/grid_power/state", "-2000");
        Assert.Equal(-2000, (await NextAsync(readings, "grid_power")).Value);

        time.Advance(TimeSpan.FromSeconds(60));
        Assert.True(harness.Bridge.Signals.Get("grid_power").Available); // exactly stale_after: still on time
        time.Advance(TimeSpan.FromSeconds(1));
        var stale = await NextAsync(readings, "grid_power");
        Assert.True(stale.Stale);
        Assert.False(harness.Bridge.Signals.Get("grid_power").Available);
        Assert.Equal(-2000, stale.Value); // stale keeps the last value for diagnostics, but is not available
    }

    [Fact]
    public void Bad_signal_config_is_rejected_with_the_signal_name()
    {
        var states = new SettableWallboxStates();
        var bad = new Dictionary<string, SignalOptions> { ["pv"] = new() { Topic = "tele/+/SENSOR" } };
        var error = Assert.Throws<ArgumentException>(() => new MqttBridge(BridgeHarness.External(1), bad, states, new FakeControllers(),
            new CurrentRange(), TimeProvider.System, new TestLogs()));
        Assert.Contains("signals.pv.topic", error.Message);

        var badPath = new Dictionary<string, SignalOptions> { ["pv"] = new() { Topic = "x", Json = "$.a[" } };
        error = Assert.Throws<ArgumentException>(() => new MqttBridge(BridgeHarness.External(1), badPath, states, new FakeControllers(),
            new CurrentRange(), TimeProvider.System, new TestLogs()));
        Assert.Contains("signals.pv.json", error.Message);
    }
}
