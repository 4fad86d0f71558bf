using System.Globalization;
using System.Text.Json;
using BmwWallbox.Core;
using BmwWallbox.Mqtt;
using BmwWallbox.Planning;
using BmwWallbox.TestKit.Logging;
using BmwWallbox.TestKit.Mqtt;

namespace BmwWallbox.Planning.Tests;

/// <summary>set/plan, forecasts and the published plan through the real MQTT bridge and its embedded broker.</summary>
public sealed class PlanMqttTests : IAsyncLifetime
{
    private const string Id = "BMW-001";
    private const string Name = "garage";
    private const string Base = "bmw-wallbox";
    private const string PriceTopic = "home/energy/forecast";
    private static string Topic(string key) => $"{Base}/{Name}/{key}";

    private readonly int _port = FreePort.Next();
    private readonly SettableWallboxStates _states = new();
    private readonly TestLogs _logs = new();
    private readonly DateTimeOffset _hour = TimeProvider.System.GetUtcNow() is var now ? new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero) : default;
    private ChargePlans _plans = null!;
    private MqttBridge _bridge = null!;
    private TestMqttClient _user = null!;

    public async Task InitializeAsync()
    {
        _states.Set(PlanStates.Plugged(Id, Name, 50_000));
        _plans = new ChargePlans(new PlanOptions { PriceForecastTopic = PriceTopic }, [new PlanStation(Id, Name, 6, 16, 690)], _states,
            TimeZoneInfo.Utc, TimeProvider.System, _logs.CreateLogger("plan"));
        var options = new MqttOptions { Port = _port, Bind = "127.0.0.1", BaseTopic = Base, HomeassistantDiscovery = true };
        _bridge = new MqttBridge(options, new Dictionary<string, SignalOptions>(), _states, new OneController(Id, Name),
            new CurrentRange(6, 16), TimeProvider.System, _logs, planTargets: _plans);
        await _bridge.StartAsync().WaitAsync(TestTimeouts.Guard);
        _plans.Start(_bridge.Bus, _bridge.Signals);
        _user = await TestMqttClient.ConnectAsync(_port, $"{Base}/#", "homeassistant/#");
        await _user.WaitForAsync($"{Base}/status", "online");
    }

    public async Task DisposeAsync()
    {
        await _user.DisposeAsync();
        _plans.Dispose();
        await _bridge.DisposeAsync();
        _logs.AssertNoUnexpectedErrors();
    }

    /// <summary>Sends a command and returns the JSON answer on the result topic for <paramref name="action"/>.</summary>
    private async Task<JsonElement> ResultOfAsync(string action, Func<Task> send)
    {
        var seen = _user.On(Topic("result")).Count;
        var index = 0;
        var waiting = _user.WaitForAsync(r => r.Topic == Topic("result") && ++index > seen && r.Payload.Contains($"\"action\":\"{action}\""));
        await send();
        return JsonDocument.Parse((await waiting).Payload).RootElement;
    }

    private Task<Received> PlanWhereAsync(Func<string, bool> payload) => _user.WaitForAsync(Topic("plan"), payload);

    /// <summary>24 hourly prices from this hour, in the Nordpool shape; the cheapest are 5 and 6 hours from now.</summary>
    private string Nordpool()
    {
        var slots = Enumerable.Range(0, 24).Select(i => new { start = _hour.AddHours(i), end = _hour.AddHours(i + 1), value = i is 5 or 6 ? 0.09 : 0.30 });
        return JsonSerializer.Serialize(new { state = 0.3, attributes = new { raw_today = slots, raw_tomorrow = Array.Empty<object>() } });
    }

    private string By(int hours) => _hour.AddHours(hours).ToString("HH:mm", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Set_plan_round_trip_forecast_target_partial_update_bad_payload_and_clear()
    {
        var forecast = await ResultOfAsync("price_forecast", () => _user.PublishAsync(PriceTopic, Nordpool(), retain: true));
        Assert.True(forecast.GetProperty("ok").GetBoolean(), forecast.ToString());

        var set = await ResultOfAsync("plan", () => _user.PublishAsync($"{Base}/{Name}/set/plan", $"22.08kWh@{By(12)}"));
        Assert.True(set.GetProperty("ok").GetBoolean(), set.ToString());
        var plan = JsonDocument.Parse((await PlanWhereAsync(p => p.Contains("cheapest"))).Payload).RootElement;
        Assert.Equal($"cheapest 2 h before {By(12)}: 0.09 EUR/kWh", plan.GetProperty("summary").GetString());
        Assert.Equal([_hour.AddHours(5), _hour.AddHours(6)],
            plan.GetProperty("slots").EnumerateArray().Select(s => DateTimeOffset.Parse(s.GetProperty("start").GetString()!, CultureInfo.InvariantCulture)));
        Assert.Equal(0, _plans.StepAt(Id, _hour.AddHours(1))!.Amps);
        Assert.Equal(16, _plans.StepAt(Id, _hour.AddHours(5.5))!.Amps);

        // Home Assistant's text entity sends only "by": the energy stays.
        Assert.True((await ResultOfAsync("plan", () => _user.PublishAsync($"{Base}/{Name}/set/plan", $$"""{"by": "{{By(6)}}"}"""))).GetProperty("ok").GetBoolean());
        Assert.Equal(new PlanTarget(22.08, null, TimeOnly.Parse(By(6), CultureInfo.InvariantCulture)), _plans.TargetOf(Name));

        var bad = await ResultOfAsync("plan", () => _user.PublishAsync($"{Base}/{Name}/set/plan", "lots by tomorrow"));
        Assert.False(bad.GetProperty("ok").GetBoolean());
        Assert.StartsWith("Plan must look like 30kWh@07:00", bad.GetProperty("reason").GetString());
        Assert.NotNull(_plans.TargetOf(Name));

        var badForecast = await ResultOfAsync("price_forecast", () => _user.PublishAsync(PriceTopic, "{\"raw_today\": 3}"));
        Assert.False(badForecast.GetProperty("ok").GetBoolean());
        Assert.Contains("No forecast slots found", badForecast.GetProperty("reason").GetString());
        Assert.Contains("0.09", _plans.PlanOf(Name)!.Summary); // the previous forecast stays

        var cleared = await ResultOfAsync("plan", () => _user.PublishAsync($"{Base}/{Name}/set/plan", ""));
        Assert.Equal("plan cleared", cleared.GetProperty("reason").GetString());
        await PlanWhereAsync(p => p.Length == 0);
        Assert.Null(_plans.StepAt(Id, _hour));
    }

    [Fact]
    public async Task Home_assistant_gets_a_number_and_a_text_that_each_send_one_key_of_set_plan()
    {
        var components = HomeAssistantView.Device((await _user.WaitForAsync("homeassistant/device/bmw_rules_bmw_001/config")).Payload).GetProperty("components");
        var number = components.GetProperty("plan_energy");
        Assert.Equal("number", number.GetProperty("platform").GetString());
        Assert.Equal(Topic("set/plan"), number.GetProperty("command_topic").GetString());
        Assert.Equal("{\"energy_kwh\": {{ value }}}", number.GetProperty("command_template").GetString());
        var text = components.GetProperty("plan_by");
        Assert.Equal("text", text.GetProperty("platform").GetString());
        Assert.Equal("{\"by\": \"{{ value }}\"}", text.GetProperty("command_template").GetString());

        // What HA sends when a person types 25 into the number, with no target yet: refused, "by" alone has nothing to keep.
        var first = await ResultOfAsync("plan", () => _user.PublishAsync(Topic("set/plan"), "{\"by\": \"06:30\"}"));
        Assert.False(first.GetProperty("ok").GetBoolean());
        Assert.True((await ResultOfAsync("plan", () => _user.PublishAsync(Topic("set/plan"), "{\"energy_kwh\": 25}"))).GetProperty("ok").GetBoolean());
        Assert.Equal(new PlanTarget(25, null, PlanTargetText.DefaultBy), _plans.TargetOf(Name));
    }

    /// <summary>A controller that accepts everything (set/plan never reaches it).</summary>
    private sealed class OneController(string id, string name) : IChargeController, IChargeControllers
    {
        public string StationId => id;
        public string Name => name;
        public ControlState Control { get; } = new(id, 16, "default", 16, false, []);
        public event Action<ControlState>? ControlChanged { add { } remove { } }
        public IReadOnlyList<IChargeController> All => [this];
        public IChargeController? Find(string stationIdOrName) => stationIdOrName == id || stationIdOrName == name ? this : null;
        public Task<ActionResult> ClaimAsync(ClaimRequest claim, CancellationToken ct = default) => Ok("claim");
        public Task<ActionResult> ReleaseAsync(string source, CancellationToken ct = default) => Ok("release");
        public Task<ActionResult> StartAsync(string source, CancellationToken ct = default) => Ok("start");
        public Task<ActionResult> StopAsync(string source, CancellationToken ct = default) => Ok("stop");
        public Task<ActionResult> RebootAsync(string source, CancellationToken ct = default) => Ok("reboot");
        private static Task<ActionResult> Ok(string action) => Task.FromResult(ActionResult.Accepted(action, "done"));
    }
}
